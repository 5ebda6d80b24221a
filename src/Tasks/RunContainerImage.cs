using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Microsoft.Build.Framework;

namespace Containerize.Tasks;

/// <summary>Runs a pushed image once through the RUN helper (like <c>docker run --rm</c>), its output in the build log.</summary>
public sealed class RunContainerImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>What BuildImage pushed; the digest reference (or else the first) is run.</summary>
    public ITaskItem[] PushedReferences { get; set; } = [];

    /// <summary>ContainerRunArgs items: replace the image's Cmd.</summary>
    public ITaskItem[] Command { get; set; } = [];

    /// <summary>ContainerRunNetwork: default, host or none; empty = default.</summary>
    public string? Network { get; set; }

    public string? StorePath { get; set; }

    public string[] InsecureRegistries { get; set; } = [];

    /// <summary>ContainerNetworkIdleTimeout: seconds a transfer may receive nothing; empty = CONTAINERIZE_NETWORK_IDLE_TIMEOUT, else 60.</summary>
    public string? NetworkIdleTimeout { get; set; }

    [Output] public int ExitCode { get; private set; }

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute() => TaskErrors.Run(Log, () =>
    {
        string? image = PushedReferences.Select(i => i.ItemSpec).FirstOrDefault(r => r.Contains('@', StringComparison.Ordinal))
            ?? PushedReferences.Select(i => i.ItemSpec).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new ContainerizeException(ErrorCodes.NothingToRun,
                "RunImage runs the image BuildImage pushed, and nothing was pushed: set ContainerRegistry (an archive cannot be run yet).");
        }
        var log = new TaskBuildLog(Log);
        var settings = new BuildSettings
        {
            Store = new BlobStore(string.IsNullOrWhiteSpace(StorePath) ? BlobStore.DefaultRoot() : Path.GetFullPath(Path.Combine(ProjectDirectory, StorePath)), log),
            Registry = new RegistryOptions { InsecureRegistries = InsecureRegistries, NetworkIdleTimeout = Engine.IO.NetworkIdleTimeout.Parse(NetworkIdleTimeout, "ContainerNetworkIdleTimeout") },
            Log = log,
        };
        var request = new RunImageRequest
        {
            Image = ImageReference.Parse(image.Trim()),
            Command = Command.Length > 0 ? Command.Select(i => i.ItemSpec).ToList() : null,
            Network = RunNetworkSetting.Parse(Network, "ContainerRunNetwork"),
        };
        ExitCode = ImageRunner.RunAsync(request, settings, line => Log.LogMessage(MessageImportance.High, line), _cancellation.Token).GetAwaiter().GetResult();
        if (ExitCode != 0)
        {
            Log.LogError(null, ErrorCodes.ImageProcessFailed, null, null, 0, 0, 0, 0, $"The image {image} exited with code {ExitCode}.");
        }
    }, _cancellation.Token);
}
