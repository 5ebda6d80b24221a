using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Builders;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;
using static Containerize.Engine.Tests.Rootfs.StackedImages;
using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>
/// RUN steps and <c>containerize run</c> see an image the way containerd (and COPY --from) apply
/// it: a layer's entries resolve their parents through the layers below (a merged-/usr symlink
/// is followed, not replaced), a hard link may name a file of a lower layer, and a whiteout under
/// a lower file is a clear error. Images with hand-written layers on busybox, in a real registry,
/// run in real namespaces on overlay and on the copy fallback.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class LowerLayerResolutionTests
{
    private const string See = "ls -ld /lib | sed 's/.* \\/lib/\\/lib/'; cat /usr/lib/x /lib/y /tool2 /usr/bin/tool; stat -c '%a %h' /tool2";
    private const string Seen = "/lib -> usr/lib\nx through lib\nlower y\ntool\ntool\n750 2";

    private static RegistryServer s_registry = null!;
    private static string s_merged = null!;
    private static string s_whiteoutUnderFile = null!;
    private static string s_whiteoutUnderSymlinkToFile = null!;
    private static string s_topWhiteoutLayer = null!;

    [ClassInitialize]
    public static async Task PushImages(TestContext _)
    {
        s_registry = RegistryServer.StartAnonymous();
        using var store = new TempDirectory("ctz-lower-store");
        var busybox = await BaseImages.PushBusyboxAsync($"{s_registry.Host}/base/busybox", store.Path);
        var blobs = new BlobStore(store.Path);
        var mergedUsr = Layer(blobs,
            (Dir("usr/"), null), (Dir("usr/lib/"), null), (Dir("usr/bin/"), null),
            (Symlink("lib", "usr/lib"), null), (Symlink("etc/passwd-link", "/etc/passwd"), null),
            File("usr/lib/y", "lower y\n"), File("usr/bin/tool", "tool\n", 0b111_101_000));
        var onTop = Layer(blobs, File("lib/x", "x through lib\n"), (HardLink("tool2", "usr/bin/tool"), null));
        s_merged = $"{s_registry.Host}/lower/merged";
        await PushAsync(busybox.Image, [mergedUsr, onTop], blobs, s_merged);

        var underFile = Layer(blobs, File("etc/passwd/.wh..wh..opq", ""));
        s_whiteoutUnderFile = $"{s_registry.Host}/lower/whiteout-under-file";
        s_topWhiteoutLayer = underFile.Descriptor.Digest.ToString();
        await PushAsync(busybox.Image, [mergedUsr, underFile], blobs, s_whiteoutUnderFile);

        var underSymlink = Layer(blobs, File("etc/passwd-link/.wh.x", ""));
        s_whiteoutUnderSymlinkToFile = $"{s_registry.Host}/lower/whiteout-under-symlink";
        await PushAsync(busybox.Image, [mergedUsr, underSymlink], blobs, s_whiteoutUnderSymlinkToFile);
    }

    [ClassCleanup]
    public static void StopRegistry() => s_registry?.Dispose();

    private static async Task<string> BuildAsync(string image, RootfsMode mode, string script)
    {
        using var temp = new TempDirectory("ctz-lower-build");
        Directory.CreateDirectory(temp.Combine("context"));
        System.IO.File.WriteAllText(temp.Combine("context", "Dockerfile"), $"FROM {image}\nRUN {{ {script}; }} > /seen 2>&1\n");
        var store = new BlobStore(temp.Combine("store"));
        var request = new DockerfileImageRequest { DockerfilePath = temp.Combine("context", "Dockerfile"), ContextDirectory = temp.Combine("context") };
        var outputs = new ImageOutputs { RepositoryName = "test/lower", Tags = ["1"], ArchivePath = temp.Combine("image.tar") };
        var result = await DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = store, Rootfs = mode, Log = new TextLog() }, CancellationToken.None);
        return ExternalTool.RunChecked("tar", "-xzOf", store.PathFor(result.Image.Layers[^1].Descriptor.Digest), "seen").TrimEnd('\n');
    }

    private static async Task<(int Exit, string Output)> RunAsync(string image, RootfsMode mode, string script)
    {
        using var temp = new TempDirectory("ctz-lower-run");
        var output = new List<string>();
        int exit = await ImageRunner.RunAsync(
            new RunImageRequest { Image = ImageReference.Parse(image), Command = ["/bin/sh", "-c", script] },
            new BuildSettings { Store = new BlobStore(temp.Path), Rootfs = mode, Log = new TextLog() }, output.Add, CancellationToken.None);
        return (exit, string.Join('\n', output));
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    [DataRow(RootfsMode.Overlay, DisplayName = "overlay")]
    [DataRow(RootfsMode.Copy, DisplayName = "copy fallback")]
    public async Task ARunStepSeesEntriesThroughLowerSymlinksAndHardLinksToLowerFiles(RootfsMode mode)
    {
        Assert.AreEqual(Seen, await BuildAsync(s_merged, mode, See));
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    [DataRow(RootfsMode.Overlay, DisplayName = "overlay")]
    [DataRow(RootfsMode.Copy, DisplayName = "copy fallback")]
    public async Task ContainerizeRunSeesEntriesThroughLowerSymlinksAndHardLinksToLowerFiles(RootfsMode mode)
    {
        var (exit, output) = await RunAsync(s_merged, mode, See);
        Assert.AreEqual(0, exit, output);
        Assert.AreEqual(Seen, output);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    [DataRow(RootfsMode.Overlay, false, DisplayName = "overlay, under a file")]
    [DataRow(RootfsMode.Copy, false, DisplayName = "copy fallback, under a file")]
    [DataRow(RootfsMode.Overlay, true, DisplayName = "overlay, under a symlink to a file")]
    public async Task AWhiteoutUnderALowerFileIsAClearErrorNamingTheLayerAndEntry(RootfsMode mode, bool throughSymlink)
    {
        string image = throughSymlink ? s_whiteoutUnderSymlinkToFile : s_whiteoutUnderFile;
        var build = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync(image, mode, "true"));
        var run = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => RunAsync(image, mode, "true"));

        foreach (var e in new[] { build, run })
        {
            Assert.AreEqual(ErrorCodes.LayerDoesNotFitBelow, e.Code, e.Message);
            StringAssert.Contains(e.Message, throughSymlink ? "etc/passwd-link/.wh.x" : "etc/passwd/.wh..wh..opq");
            StringAssert.Contains(e.Message, "/etc/passwd");
            if (!throughSymlink) StringAssert.Contains(e.Message, s_topWhiteoutLayer);
        }
    }
}
