using Containerize.Engine.Builders;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;

namespace Containerize.TestSupport;

/// <summary>Base images the tests build themselves, with the project's own engine, from what this machine has.</summary>
public static class BaseImages
{
    /// <summary>Pushes a busybox image (<c>FROM scratch</c> plus a busybox root filesystem) to <paramref name="repository"/>:latest.</summary>
    public static async Task<BuildResult> PushBusyboxAsync(string repository, string storeDirectory)
    {
        using var rootfs = new TempDirectory("busybox-rootfs");
        await BusyboxRootfs.CreateAsync(rootfs.Path);
        var request = new GeneratedImageRequest
        {
            BaseImage = "scratch",
            PublishDirectory = rootfs.Path,
            WorkingDirectory = "/",
            Cmd = ["sh"],
            EnvironmentVariables = [KeyValuePair.Create("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
            SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(0),
        };
        var outputs = new ImageOutputs
        {
            PushTo = ImageReference.Parse(repository),
            RepositoryName = repository,
            Tags = ["latest"],
        };
        return await GeneratedImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(storeDirectory) }, CancellationToken.None);
    }

    /// <summary>Pushes a Debian image (one layer: the root filesystem of <see cref="DebianRootfs.CachedDirectory"/> with its owners) to <paramref name="repository"/>:bookworm.</summary>
    public static async Task<BuildResult> PushDebianAsync(string repository, string storeDirectory)
    {
        string rootfsDirectory = DebianRootfs.CachedDirectory;
        await DebianRootfs.EnsureAsync(rootfsDirectory);
        var request = new GeneratedImageRequest
        {
            BaseImage = "scratch",
            PublishDirectory = rootfsDirectory,
            WorkingDirectory = "/",
            KeepFileOwners = true,
            Cmd = ["bash"],
            EnvironmentVariables = [KeyValuePair.Create("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
            SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(0),
        };
        var outputs = new ImageOutputs
        {
            PushTo = ImageReference.Parse(repository),
            RepositoryName = repository,
            Tags = ["bookworm"],
        };
        return await GeneratedImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(storeDirectory) }, CancellationToken.None);
    }
}
