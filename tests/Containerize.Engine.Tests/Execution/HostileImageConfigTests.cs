using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// An image whose config holds a NUL in Env (JSON's \u0000), pushed to a real registry: running it,
/// or a RUN step on it, is a clear error naming the image or the line and the field, not a crash.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class HostileImageConfigTests
{
    private static RegistryServer s_registry = null!;
    private static string s_image = null!;

    [ClassInitialize]
    public static void PushHostileImage(TestContext _)
    {
        s_registry = RegistryServer.StartAnonymous();
        s_image = $"{s_registry.Host}/hostile/nul-env";
        using var rootfs = new TempDirectory("ctz-nul-rootfs");
        using var store = new TempDirectory("ctz-nul-store");
        BusyboxRootfs.CreateAsync(rootfs.Path).GetAwaiter().GetResult();
        var request = new GeneratedImageRequest
        {
            BaseImage = "scratch",
            PublishDirectory = rootfs.Path,
            WorkingDirectory = "/",
            Cmd = ["sh", "-c", "echo should not run"],
            EnvironmentVariables = [KeyValuePair.Create("PATH", "/bin"), KeyValuePair.Create("EVIL", "a\0awaitnetwork\01")],
            SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(0),
        };
        var outputs = new ImageOutputs { PushTo = ImageReference.Parse(s_image), RepositoryName = s_image, Tags = ["latest"] };
        var built = GeneratedImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(store.Path) }, CancellationToken.None).GetAwaiter().GetResult();
        Assert.IsTrue(built.Image.Config.Config!.Env!.Any(e => e.Contains('\0')), "the image's config carries the NUL");
    }

    [ClassCleanup]
    public static void StopRegistry() => s_registry.Dispose();

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task RunningItNamesTheImageAndTheField()
    {
        using var store = new TempDirectory("ctz-nul-run");
        var output = new List<string>();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => ImageRunner.RunAsync(
            new RunImageRequest { Image = ImageReference.Parse(s_image) }, new BuildSettings { Store = new BlobStore(store.Path) }, output.Add, CancellationToken.None));
        Assert.AreEqual(ErrorCodes.NulInContainerSpec, e.Code, e.Message);
        StringAssert.Contains(e.Message, s_image);
        StringAssert.Contains(e.Message, "Env entry 'EVIL'");
        Assert.AreEqual(0, output.Count, string.Join('\n', output));
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ARunStepOnItIsAnErrorAtItsLine()
    {
        using var temp = new TempDirectory("ctz-nul-build");
        string context = temp.Combine("context");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {s_image}\nRUN true\n");
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(context, "Dockerfile"),
            ContextDirectory = context,
            Platform = Platform.Host,
            Cache = new Engine.Caching.StepCacheOptions { NoCache = true },
        };
        var outputs = new ImageOutputs { RepositoryName = "test/nul", Tags = ["1"], ArchivePath = temp.Combine("image.tar") };

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(temp.Combine("store")) }, CancellationToken.None));
        Assert.AreEqual(ErrorCodes.NulInContainerSpec, e.Code, e.Message);
        Assert.AreEqual(2, e.Location!.Line);
        StringAssert.Contains(e.Message, "Env entry 'EVIL'");
        Assert.IsFalse(File.Exists(temp.Combine("image.tar")), "no image was written");
    }
}
