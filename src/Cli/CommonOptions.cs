using Containerize.Engine.Builders;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;

namespace Containerize.Cli;

/// <summary>
/// The options the commands share: store, registries, outputs, format, and how a result is printed.
/// Each value is read by the engine's parser for it (Builders/Inputs), as the MSBuild tasks read theirs.
/// </summary>
internal static class CommonOptions
{
    public static BuildSettings Settings(this CommandLineOptions options)
    {
        var log = new ConsoleBuildLog(options.Flag("-v") || options.Flag("--verbose"));
        return new BuildSettings
        {
            Store = options.Store(log),
            Registry = new RegistryOptions
            {
                InsecureRegistries = options.Many("--insecure"),
                NetworkIdleTimeout = Engine.IO.NetworkIdleTimeout.Parse(options.Single("--network-idle-timeout"), "--network-idle-timeout"),
            },
            Log = log,
            CacheMaxSize = options.CacheMaxSize(),
        };
    }

    public static BlobStore Store(this CommandLineOptions options, IBuildLog log) => StoreSetting.Open(options.Single("--store"), Environment.CurrentDirectory, log);

    public static long CacheMaxSize(this CommandLineOptions options) => StepCacheSetting.MaxSize(options.Single("--cache-max-size"), "--cache-max-size");

    public static ImageFormat? Format(this CommandLineOptions options) => ImageFormatSetting.Parse(options.Single("--format"), "--format");

    public static Platform Platform(this CommandLineOptions options) => PlatformSetting.Parse(options.Single("--platform"), "--platform");

    public static ImageOutputs Outputs(this CommandLineOptions options)
    {
        var pushTo = RepositorySetting.ParsePushTarget(options.Single("--push"), "--push");
        string repository = pushTo?.Repository ?? "image";
        return new ImageOutputs
        {
            PushTo = pushTo,
            RepositoryName = repository,
            Tags = ImageTagsSetting.Parse(options.Many("--tag"), "--tag") is { Count: > 0 } tags ? tags : ["latest"],
            ArchivePath = ArchiveSetting.Path(options.Single("--archive"), Environment.CurrentDirectory, repository),
            ArchiveFormat = ArchiveSetting.FormatFor(options.Format()),
        };
    }

    /// <summary>The digest, then each pushed reference and the archive path, one per line.</summary>
    public static int Print(BuildResult result)
    {
        Console.WriteLine(result.ManifestDigest);
        foreach (string reference in result.PushedReferences) Console.WriteLine(reference);
        if (result.ArchivePath is not null) Console.WriteLine(result.ArchivePath);
        return 0;
    }
}
