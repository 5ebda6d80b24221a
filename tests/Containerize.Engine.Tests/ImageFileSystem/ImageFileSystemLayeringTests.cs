using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Oci;
using static Containerize.Engine.Tests.ImageFileSystem.ImageFsFixture;
using static Containerize.Engine.Tests.Layers.PythonTar;

namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>Stacked layers: later entries replace earlier ones and OCI whiteouts remove lower content.</summary>
[TestCategory("Unit")]
[TestClass]
public class ImageFileSystemLayeringTests
{
    private static Layer Lower(ImageFsFixture fixture) => fixture.PythonLayer(gzip: true,
        new Entry("etc/", "dir"),
        new Entry("etc/keep.conf", Content: "keep"),
        new Entry("etc/old.conf", Content: "old"),
        new Entry("var/cache/", "dir"),
        new Entry("var/cache/a", Content: "a"),
        new Entry("var/cache/sub/b", Content: "b"),
        new Entry("tmp/gone/x", Content: "x"),
        new Entry("data/", "dir"),
        new Entry("data/inner", Content: "inner"));

    [TestMethod]
    public void ALaterLayerReplacesAFile()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture), fixture.PythonLayer(new Entry("etc/old.conf", Content: "new!", Mode: Convert.ToInt32("600", 8))));

        Assert.AreEqual("new!", Text(fs.ReadFile("/etc/old.conf")));
        Assert.AreEqual(Convert.ToInt32("600", 8), fs.Stat("/etc/old.conf")!.Mode);
        Assert.AreEqual("keep", Text(fs.ReadFile("/etc/keep.conf")));
    }

    [TestMethod]
    public void AFileReplacingADirectoryRemovesItsChildren()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture), fixture.PythonLayer(new Entry("data", Content: "now a file")));

        Assert.IsFalse(fs.IsDirectory("/data"));
        Assert.AreEqual("now a file", Text(fs.ReadFile("/data")));
        Assert.IsFalse(fs.Exists("/data/inner"));
    }

    [TestMethod]
    public void ADirectoryOverADirectoryKeepsTheLowerChildrenAndTakesTheNewMetadata()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture), fixture.PythonLayer(
            new Entry("data/", "dir", Mode: Convert.ToInt32("700", 8), Uid: 7),
            new Entry("etc/old.conf/", "dir")));

        Assert.AreEqual("inner", Text(fs.ReadFile("/data/inner")));
        Assert.AreEqual(new ImageFileInfo(ImageFileKind.Directory, Convert.ToInt32("700", 8), 7, 0, 0, ""), fs.Stat("/data"));
        Assert.IsTrue(fs.IsDirectory("/etc/old.conf"));
    }

    [TestMethod]
    public void AWhiteoutDeletesALowerFileOrDirectory()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture), fixture.PythonLayer(
            new Entry("etc/.wh.old.conf"),
            new Entry("tmp/.wh.gone"),
            new Entry(".wh.nothing-there")));

        Assert.IsFalse(fs.Exists("/etc/old.conf"));
        Assert.IsFalse(fs.Exists("/tmp/gone"));
        Assert.IsFalse(fs.Exists("/tmp/gone/x"));
        Assert.IsTrue(fs.IsDirectory("/tmp"));
        Assert.IsFalse(fs.Exists("/etc/.wh.old.conf"));
        Assert.AreEqual("keep", Text(fs.ReadFile("/etc/keep.conf")));
    }

    [TestMethod]
    public void AWhiteoutDoesNotDeleteWhatItsOwnLayerWrote()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture), fixture.PythonLayer(
            new Entry("etc/old.conf", Content: "rewritten"),
            new Entry("etc/.wh.old.conf")));

        Assert.AreEqual("rewritten", Text(fs.ReadFile("/etc/old.conf")));
    }

    [TestMethod]
    public void AFileRecreatedAfterItsWhiteoutInALaterLayerIsVisible()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture),
            fixture.PythonLayer(new Entry("var/.wh.cache")),
            fixture.PythonLayer(new Entry("var/cache/fresh", Content: "fresh")));

        Assert.AreEqual("fresh", Text(fs.ReadFile("/var/cache/fresh")));
        Assert.IsFalse(fs.Exists("/var/cache/a"));
    }

    [TestMethod]
    public void AnOpaqueDirectoryKeepsOnlyWhatTheNewLayerPutsInIt()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(Lower(fixture), fixture.PythonLayer(
            new Entry("var/cache/", "dir"),
            new Entry("var/cache/-first", Content: "sorts before the marker"),
            new Entry("var/cache/.wh..wh..opq"),
            new Entry("var/cache/sub/new", Content: "new")));

        Assert.IsFalse(fs.Exists("/var/cache/a"));
        Assert.IsFalse(fs.Exists("/var/cache/sub/b"));
        Assert.AreEqual("sorts before the marker", Text(fs.ReadFile("/var/cache/-first")));
        Assert.AreEqual("new", Text(fs.ReadFile("/var/cache/sub/new")));
        Assert.IsTrue(fs.Exists("/var/cache"));
        Assert.AreEqual("keep", Text(fs.ReadFile("/etc/keep.conf")));
    }
}
