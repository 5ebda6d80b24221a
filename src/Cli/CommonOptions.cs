using Containerize.Engine.Builders;
using Containerize.Engine.Caching;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;

namespace Containerize.Cli;

/// <summary>The options the commands share: store, registries, outputs, format, and how a result is printed.</summary>
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

    public static BlobStore Store(this CommandLineOptions options, IBuildLog log) => new(options.Single("--store") ?? BlobStore.DefaultRoot(), log);

    public static long CacheMaxSize(this CommandLineOptions options) =>
        options.Single("--cache-max-size") is { } size ? ByteSize.Parse(size, "--cache-max-size") : BuildSettings.DefaultCacheMaxSize;

    public static ImageFormat? Format(this CommandLineOptions options) => ImageFormatSetting.Parse(options.Single("--format"), "--format");

    public static Platform Platform(this CommandLineOptions options) =>
        options.Single("--platform") is { } platform ? Engine.Oci.Platform.Parse(platform) : Engine.Oci.Platform.Host;

    public static ImageOutputs Outputs(this CommandLineOptions options)
    {
        string? push = options.Single("--push");
        return new ImageOutputs
        {
            PushTo = push is null ? null : ImageReference.Parse(push),
            RepositoryName = push is null ? "image" : ImageReference.Parse(push).Repository,
            Tags = options.Many("--tag") is { Count: > 0 } tags ? tags : ["latest"],
            ArchivePath = options.Single("--archive"),
            ArchiveFormat = options.Format() == ImageFormat.Docker ? ArchiveFormat.DockerArchive : ArchiveFormat.OciLayout,
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
