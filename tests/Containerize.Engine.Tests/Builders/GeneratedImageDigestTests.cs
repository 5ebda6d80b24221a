using Containerize.Engine.Builders;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// Images from project properties, built with SOURCE_DATE_EPOCH, have the same digest from one
/// version of the engine to the next: the digests below are what the engine made before the image
/// from properties was built through the step solver (commit 1f278df), the compatibility that
/// change keeps. A different digest means every user's image changes on upgrade.
/// </summary>
[TestCategory("Registry")]
[TestClass]
public class GeneratedImageDigestTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private static RegistryServer s_registry = null!;

    [ClassInitialize]
    public static void StartRegistry(TestContext _) => s_registry = RegistryServer.StartAnonymous();

    [ClassCleanup]
    public static void StopRegistry() => s_registry.Dispose();

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task OnScratchTheDigestIsTodays()
    {
        using var temp = new TempDirectory("ctz-gen-digest");
        var result = await BuildAsync(temp, new GeneratedImageRequest
        {
            PublishDirectory = Publish(temp),
            BaseImage = "scratch",
            Platform = Platform.Parse("linux/amd64"),
            Entrypoint = ["/app/App"],
            User = "1000",
            EnvironmentVariables = [KeyValuePair.Create("DOTNET_RUNNING_IN_CONTAINER", "true")],
            Labels = [KeyValuePair.Create("org.opencontainers.image.title", "app")],
            Ports = ["8080", "53/udp"],
            SourceDateEpoch = Epoch,
        }, new TextLog());
        Assert.AreEqual("sha256:0618d81ac8c02f8048a88f1c8aa4fbfc566d5f53741c91679e7887e25e3b391c", result.ManifestDigest.ToString());
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task OnABaseImageWithSettingsTheDigestIsTodays()
    {
        using var temp = new TempDirectory("ctz-gen-digest");
        string baseImage = await PushBaseAsync(temp);
        var result = await BuildAsync(temp, new GeneratedImageRequest
        {
            PublishDirectory = Publish(temp),
            BaseImage = baseImage,
            Platform = Platform.Parse("linux/amd64"),
            WorkingDirectory = "/srv/app",
            Entrypoint = ["dotnet", "App.dll"],
            EnvironmentVariables = [KeyValuePair.Create("GREETING", "new"), KeyValuePair.Create("EXTRA", "1")],
            Labels = [KeyValuePair.Create("team", "platform")],
            Ports = ["8080"],
            SourceDateEpoch = Epoch,
        }, new TextLog());
        Assert.AreEqual("sha256:6c1d0dd95483698e9034321fe75cc76db088f4483d30609df3f2fd7ea69ab8cd", result.ManifestDigest.ToString());
        Assert.IsNull(result.Image.Config.Config!.Cmd, "a new entrypoint clears the base image's Cmd");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task KeepingTheBaseImagesEntrypointAndCmdInDockerFormatTheDigestIsTodays()
    {
        using var temp = new TempDirectory("ctz-gen-digest");
        string baseImage = await PushBaseAsync(temp);
        var result = await BuildAsync(temp, new GeneratedImageRequest
        {
            PublishDirectory = Publish(temp),
            BaseImage = baseImage,
            Platform = Platform.Parse("linux/amd64"),
            User = "app",
            Format = ImageFormat.Docker,
            SourceDateEpoch = Epoch,
        }, new TextLog());
        Assert.AreEqual("sha256:7217578f6c7dcc76c4dc8b1eff3d7468322822c500ff58532d2605ae5efc3e40", result.ManifestDigest.ToString());
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AnUnchangedRebuildTakesThePublishLayerFromTheStepCache()
    {
        using var temp = new TempDirectory("ctz-gen-cache");
        var request = new GeneratedImageRequest { PublishDirectory = Publish(temp), BaseImage = "scratch", SourceDateEpoch = Epoch };
        var first = await BuildAsync(temp, request, new TextLog());
        var log = new TextLog();
        var second = await BuildAsync(temp, request, log);

        StringAssert.Contains(log.Text, "[app 2/8] containerize: publish output to /app CACHED");
        Assert.AreEqual(first.ManifestDigest, second.ManifestDigest);

        File.WriteAllText(Path.Combine(request.PublishDirectory, "App.dll"), "changed");
        var changedLog = new TextLog();
        var changed = await BuildAsync(temp, request, changedLog);
        Assert.IsFalse(changedLog.Text.Contains("CACHED", StringComparison.Ordinal), changedLog.Text);
        Assert.AreNotEqual(first.ManifestDigest, changed.ManifestDigest);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task KeepingFileOwnersAChangedOwnerMakesTheLayerAgain()
    {
        using var temp = new TempDirectory("ctz-gen-owners");
        var request = new GeneratedImageRequest { PublishDirectory = Publish(temp), BaseImage = "scratch", KeepFileOwners = true, SourceDateEpoch = Epoch };
        var first = await BuildAsync(temp, request, new TextLog());

        ExternalTool.RunChecked("chown", "1234:1234", Path.Combine(request.PublishDirectory, "App.dll"));
        var log = new TextLog();
        var second = await BuildAsync(temp, request, log);

        Assert.IsFalse(log.Text.Contains("CACHED", StringComparison.Ordinal), log.Text);
        Assert.AreNotEqual(first.ManifestDigest, second.ManifestDigest, "the layer holds the file's new owner");
    }

    /// <summary>A base with every setting the project's properties merge into, pushed to the test registry.</summary>
    private static async Task<string> PushBaseAsync(TempDirectory temp)
    {
        string image = $"{s_registry.Host}/base/settings";
        string rootfs = temp.Combine("base-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "os-release"), "ID=test\n");
        FixModes(rootfs);
        var request = new GeneratedImageRequest
        {
            PublishDirectory = rootfs,
            BaseImage = "scratch",
            Platform = Platform.Parse("linux/amd64"),
            WorkingDirectory = "/",
            Entrypoint = ["/docker-entrypoint.sh"],
            Cmd = ["serve"],
            User = "base-user",
            EnvironmentVariables = [KeyValuePair.Create("PATH", "/bin"), KeyValuePair.Create("GREETING", "old")],
            Labels = [KeyValuePair.Create("from.base", "yes")],
            Ports = ["80"],
            SourceDateEpoch = Epoch,
        };
        var outputs = new ImageOutputs { PushTo = ImageReference.Parse(image), RepositoryName = image, Tags = ["latest"] };
        var pushed = await GeneratedImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(temp.Combine("base-store")) }, CancellationToken.None);
        Assert.AreEqual("sha256:593df2efdffc722db2ff6a17c5ce662c84e74b749b3ebe17cb0730f07631db55", pushed.ManifestDigest.ToString(), "the base image itself");
        return image;
    }

    internal static Task<BuildResult> BuildAsync(TempDirectory temp, GeneratedImageRequest request, TextLog log) =>
        GeneratedImageBuilder.BuildAsync(request,
            new ImageOutputs { ArchivePath = temp.Combine("image.tar"), RepositoryName = "app", Tags = ["latest"] },
            new BuildSettings { Store = new BlobStore(temp.Combine("store")), Log = log }, CancellationToken.None);

    /// <summary>A small publish folder with fixed content and modes (the layer holds both).</summary>
    internal static string Publish(TempDirectory temp)
    {
        string publish = temp.Combine("publish");
        if (Directory.Exists(publish)) return publish;
        Directory.CreateDirectory(Path.Combine(publish, "wwwroot"));
        File.WriteAllText(Path.Combine(publish, "App.dll"), "not really a dll");
        File.WriteAllText(Path.Combine(publish, "App"), "#!/bin/sh\necho app\n");
        File.WriteAllText(Path.Combine(publish, "wwwroot", "index.html"), "<p>hi</p>");
        FixModes(publish);
        File.SetUnixFileMode(Path.Combine(publish, "App"), (UnixFileMode)0b111_101_101);
        return publish;
    }

    private static void FixModes(string root)
    {
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        foreach (string directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
    }
}
