using System.Security.Cryptography;
using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Registry;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Store;

/// <summary>
/// The store on a real 2 MiB tmpfs: a pull or a layer that does not fit is a clear CTZ3030 naming
/// the store, no partial blob stays behind, and the next, small build on that store succeeds.
/// </summary>
[TestCategory("Registry")]
[TestClass]
public sealed class FullStoreTests
{
    private static RegistryServer s_registry = null!;
    private static string s_big = null!, s_small = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task PushABigAndASmallImage(TestContext context)
    {
        s_registry = RegistryServer.StartAnonymous();
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        using var session = TestSessions.Create();
        s_big = $"{s_registry.Host}/full/big:1";
        s_small = $"{s_registry.Host}/full/small:1";
        await session.PushAsync(TestImages.Create(store, "big", randomBytes: 3_000_000), ImageReference.Parse(s_big), [], store, context.CancellationToken);
        await session.PushAsync(TestImages.Create(store, "small"), ImageReference.Parse(s_small), [], store, context.CancellationToken);
    }

    [ClassCleanup]
    public static void Stop() => s_registry?.Dispose();

    /// <summary>A 2 MiB tmpfs, unmounted on dispose; the store is a folder inside it (the mount point itself is shared, mode 1777).</summary>
    private sealed class SmallFileSystem : IDisposable
    {
        private readonly TempDirectory _mount = new("ctz-full");

        public SmallFileSystem()
        {
            ExternalTool.RunChecked("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", _mount.Path);
            Store = new BlobStore(_mount.Combine("store"));
        }

        public BlobStore Store { get; }

        public string[] TemporaryFiles => Directory.GetFileSystemEntries(Path.Combine(Store.Root, "tmp"));

        public void Dispose()
        {
            ExternalTool.Run("umount", "-l", _mount.Path);
            _mount.Dispose();
        }
    }

    private async Task<BuildResult> BuildAsync(BlobStore store, TempDirectory work, string dockerfile)
    {
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        File.WriteAllText(Path.Combine(context, "small.txt"), "small");
        if (!File.Exists(Path.Combine(context, "big.bin"))) File.WriteAllBytes(Path.Combine(context, "big.bin"), RandomNumberGenerator.GetBytes(3_000_000));
        return await DockerfileImageBuilder.BuildAsync(new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(context, "Dockerfile"),
            ContextDirectory = context,
            Platform = Platform.Parse("linux/amd64"),
        }, new ImageOutputs { RepositoryName = "full/app", Tags = ["1"], ArchivePath = work.Combine("image.tar") },
            new BuildSettings { Store = store }, TestContext.CancellationToken);
    }

    private void AssertFullAndClean(ContainerizeException e, SmallFileSystem fs)
    {
        Assert.AreEqual(ErrorCodes.StoreFull, e.Code, e.ToString());
        StringAssert.Contains(e.Message, fs.Store.Root);
        StringAssert.Contains(e.Message, "ContainerStorePath");
        Assert.IsEmpty(fs.TemporaryFiles, "a partial blob was left in the store");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task APullThatDoesNotFitFailsClearlyAndTheNextBuildSucceeds()
    {
        using var fs = new SmallFileSystem();
        using var work = new TempDirectory();

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync(fs.Store, work, $"FROM {s_big}\nCOPY small.txt /small.txt\n"));

        AssertFullAndClean(e, fs);
        var result = await BuildAsync(fs.Store, work, $"FROM {s_small}\nCOPY small.txt /small.txt\n");
        Assert.HasCount(2, result.Image.Layers);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ALayerThatDoesNotFitFailsClearlyAndTheNextBuildSucceeds()
    {
        using var fs = new SmallFileSystem();
        using var work = new TempDirectory();

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync(fs.Store, work, $"FROM {s_small}\nCOPY big.bin /big.bin\n"));

        AssertFullAndClean(e, fs);
        var result = await BuildAsync(fs.Store, work, $"FROM {s_small}\nCOPY small.txt /small.txt\n");
        Assert.HasCount(2, result.Image.Layers);
    }
}
