using Containerize.Engine.ImageFileSystem;
using static Containerize.Engine.Tests.ImageFileSystem.ImageFsFixture;
using static Containerize.Engine.Tests.Layers.PythonTar;

namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>Symlinks resolve inside the image, hard links share their target's content.</summary>
[TestCategory("Unit")]
[TestClass]
public class ImageFileSystemLinkTests
{
    [TestMethod]
    public void AnAbsoluteSymlinkedDirectoryIsFollowed()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.PythonLayer(
            new Entry("run/", "dir"),
            new Entry("run/app.pid", Content: "42"),
            new Entry("var/run", "symlink", LinkName: "/run")));

        Assert.IsTrue(fs.IsDirectory("/var/run"));
        Assert.IsTrue(fs.IsDirectory("/var/run/"));
        Assert.AreEqual("42", Text(fs.ReadFile("/var/run/app.pid")));
        Assert.AreEqual("/run/app.pid", fs.ResolveSymlinks("/var/run/app.pid"));
        Assert.AreEqual("/run/new-file", fs.ResolveSymlinks("/var/run/new-file"));
        Assert.AreEqual("/run", fs.Stat("/var/run")!.LinkTarget);
    }

    [TestMethod]
    public void RelativeTargetsResolveFromTheLinksDirectoryAndDotDotStopsAtTheRoot()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.PythonLayer(
            new Entry("usr/lib/os-release", Content: "ID=test"),
            new Entry("etc/os-release", "symlink", LinkName: "../usr/lib/os-release"),
            new Entry("etc/deep", "symlink", LinkName: "../../../../../usr/lib"),
            new Entry("lib", "symlink", LinkName: "usr/lib"),
            new Entry("usr/lib/self", "symlink", LinkName: ".")));

        Assert.AreEqual("ID=test", Text(fs.ReadFile("/etc/os-release")));
        Assert.IsTrue(fs.IsDirectory("/etc/deep"));
        Assert.AreEqual("ID=test", Text(fs.ReadFile("/etc/deep/os-release")));
        Assert.AreEqual("ID=test", Text(fs.ReadFile("/lib/self/self/os-release")));
        Assert.AreEqual("/usr/lib", fs.ResolveSymlinks("/etc/deep"));
    }

    [TestMethod]
    public void ASymlinkLoopIsNotADirectoryNorAFile()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.PythonLayer(
            new Entry("a", "symlink", LinkName: "b"),
            new Entry("b", "symlink", LinkName: "/a"),
            new Entry("self", "symlink", LinkName: "self/x")));

        Assert.IsFalse(fs.IsDirectory("/a"));
        Assert.IsNull(fs.ReadFile("/a"));
        Assert.IsNull(fs.ReadFile("/a/x"));
        Assert.IsNull(fs.ResolveSymlinks("/a"));
        Assert.IsFalse(fs.IsDirectory("/self"));
        Assert.IsTrue(fs.Exists("/a"));
    }

    [TestMethod]
    public void ADanglingSymlinkExistsButHasNoContent()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.PythonLayer(new Entry("link", "symlink", LinkName: "/nowhere")));

        Assert.IsTrue(fs.Exists("/link"));
        Assert.IsFalse(fs.IsDirectory("/link"));
        Assert.IsNull(fs.ReadFile("/link"));
        Assert.AreEqual("/nowhere", fs.ResolveSymlinks("/link"));
    }

    [TestMethod]
    public void AHardLinkReadsItsTargetsContentEvenAfterTheTargetIsReplaced()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(
            fixture.PythonLayer(
                new Entry("usr/bin/busybox", Content: "BUSYBOX", Mode: Convert.ToInt32("755", 8)),
                new Entry("bin/sh", "link", LinkName: "usr/bin/busybox")),
            fixture.PythonLayer(new Entry("usr/bin/busybox", Content: "replaced")));

        Assert.AreEqual("BUSYBOX", Text(fs.ReadFile("/bin/sh")));
        Assert.AreEqual("replaced", Text(fs.ReadFile("/usr/bin/busybox")));
        var info = fs.Stat("/bin/sh")!;
        Assert.AreEqual("/usr/bin/busybox", info.LinkTarget);
        Assert.AreEqual(7, info.Size);
    }

    [TestMethod]
    public void EntriesUnderALowerSymlinkLandInItsTarget()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(
            fixture.PythonLayer(new Entry("run/", "dir"), new Entry("var/run", "symlink", LinkName: "/run")),
            fixture.PythonLayer(new Entry("var/run/lock", Content: "locked")));

        Assert.AreEqual(ImageFileKind.Symlink, fs.Stat("/var/run")!.Kind);
        Assert.AreEqual("locked", Text(fs.ReadFile("/run/lock")));
    }
}
