using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;

/// <summary>A Dockerfile build from the command line, so tests can build as an ordinary user (runuser).</summary>
internal static class BuildProbe
{
    public static async Task<int> RunAsync(string dockerfile, string context, string store, string archive)
    {
        // CTZ_PROBE_SECRETS: "id=file,id=file" secrets backed by files.
        var secrets = (Environment.GetEnvironmentVariable("CTZ_PROBE_SECRETS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(s => s[..s.IndexOf('=')], s => BuildSecret.FromFile(s[(s.IndexOf('=') + 1)..]));
        var request = new DockerfileImageRequest { DockerfilePath = dockerfile, ContextDirectory = context, SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(0), Secrets = secrets };
        var outputs = new ImageOutputs { RepositoryName = "probe", Tags = ["latest"], ArchivePath = archive, ArchiveFormat = ArchiveFormat.OciLayout };
        var log = new ConsoleLog();
        var settings = new BuildSettings { Store = new BlobStore(store, log), Log = log };
        try
        {
            var result = await DockerfileImageBuilder.BuildAsync(request, outputs, settings, CancellationToken.None);
            Console.WriteLine($"built={result.Image.ManifestDigest}");
            return 0;
        }
        catch (ContainerizeException e)
        {
            Console.WriteLine($"error {e.Code}: {e.Message}");
            return 2;
        }
    }

    private sealed class ConsoleLog : IBuildLog
    {
        private readonly object _gate = new();
        public void Info(string message) { lock (_gate) Console.WriteLine("info: " + message); }
        public void Detail(string message) { }
        public void Warning(string code, string message) { lock (_gate) Console.WriteLine($"warning {code}: {message}"); }
    }
}
