using Containerize.Engine.Layers;
using Containerize.TestSupport;
using static Containerize.Engine.Tests.Layers.PythonTar;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Stacking layers: OCI whiteouts remove what lower layers put there.</summary>
[TestCategory("Unit")]
[TestClass]
public class LayerExtractorWhiteoutTests
{
    private static string Lower(TempDirectory temp)
    {
        string target = temp.Combine("rootfs");
        ExtractHelper.Extract(Write(temp.Combine("lower.tar"),
            new Entry("etc/", "dir", Mode: 0b111_101_101),
            new Entry("etc/keep.conf", Content: "keep"),
            new Entry("etc/old.conf", Content: "old"),
            new Entry("var/", "dir", Mode: 0b111_101_101),
            new Entry("var/cache/", "dir", Mode: 0b111_101_101),
            new Entry("var/cache/a", Content: "a"),
            new Entry("var/cache/sub/b", Content: "b"),
            new Entry("tmp/gone/", "dir", Mode: 0b111_101_101),
            new Entry("tmp/gone/x", Content: "x")), target);
        return target;
    }

    private static string[] Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToArray();

    [TestMethod]
    public void AWhiteoutDeletesALowerFileOrDirectory()
    {
        using var temp = new TempDirectory();
        string target = Lower(temp);
        ExtractHelper.Extract(Write(temp.Combine("upper.tar"),
            new Entry("etc/.wh.old.conf"),
            new Entry("tmp/.wh.gone")), target);

        CollectionAssert.AreEqual(new[] { "etc", "etc/keep.conf", "tmp", "var", "var/cache", "var/cache/a", "var/cache/sub", "var/cache/sub/b" }, Tree(target));
    }

    [TestMethod]
    public void AnOpaqueDirectoryKeepsOnlyWhatTheNewLayerPutsInIt()
    {
        using var temp = new TempDirectory();
        string target = Lower(temp);
        ExtractHelper.Extract(Write(temp.Combine("upper.tar"),
            new Entry("var/cache/", "dir", Mode: 0b111_101_101),
            new Entry("var/cache/-first", Content: "sorts before the marker"),
            new Entry("var/cache/.wh..wh..opq"),
            new Entry("var/cache/sub/", "dir", Mode: 0b111_101_101),
            new Entry("var/cache/sub/new", Content: "new")), target);

        CollectionAssert.AreEqual(new[] { "etc", "etc/keep.conf", "etc/old.conf", "tmp", "tmp/gone", "tmp/gone/x", "var", "var/cache", "var/cache/-first", "var/cache/sub", "var/cache/sub/new" }, Tree(target));
    }

    [TestMethod]
    public void AWhiteoutDoesNotDeleteWhatItsOwnLayerWrote()
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("rootfs");
        ExtractHelper.Extract(Write(temp.Combine("one.tar"),
            new Entry("app/", "dir", Mode: 0b111_101_101),
            new Entry("app/.wh.data"), // OCI: whiteouts apply to lower layers only
            new Entry("app/data", Content: "same layer")), target);
        Assert.AreEqual("same layer", File.ReadAllText(Path.Combine(target, "app", "data")));
    }

    [TestMethod]
    public void WithoutApplyWhiteoutsTheMarkersAreKeptAsFiles()
    {
        using var temp = new TempDirectory();
        string target = Lower(temp);
        ExtractHelper.Extract(Write(temp.Combine("upper.tar"), new Entry("etc/.wh.old.conf")), target, new ExtractOptions { ApplyWhiteouts = false });
        Assert.IsTrue(File.Exists(Path.Combine(target, "etc", "old.conf")));
        Assert.IsTrue(File.Exists(Path.Combine(target, "etc", ".wh.old.conf")));
    }

    [TestMethod]
    public void AWhiteoutNamingTheParentIsRefused()
    {
        using var temp = new TempDirectory();
        string target = Lower(temp);
        var e = Assert.ThrowsExactly<Diagnostics.ContainerizeException>(() => ExtractHelper.Extract(Write(temp.Combine("evil.tar"), new Entry("etc/.wh..")), target));
        Assert.AreEqual(Diagnostics.ErrorCodes.UnsafeLayerPath, e.Code);
        Assert.IsTrue(Directory.Exists(Path.Combine(target, "etc")));
    }

    [TestMethod]
    public void ALaterLayerReplacesADirectoryWithAFileAndAFileWithADirectory()
    {
        using var temp = new TempDirectory();
        string target = Lower(temp);
        ExtractHelper.Extract(Write(temp.Combine("upper.tar"),
            new Entry("etc/old.conf/", "dir", Mode: 0b111_101_101),
            new Entry("etc/old.conf/inside", Content: "i"),
            new Entry("var/cache", Content: "now a file")), target);
        Assert.AreEqual("i", File.ReadAllText(Path.Combine(target, "etc", "old.conf", "inside")));
        Assert.AreEqual("now a file", File.ReadAllText(Path.Combine(target, "var", "cache")));
    }
}
