using Containerize.Engine.ImageFileSystem;
using static Containerize.Engine.Tests.ImageFileSystem.ImageFsFixture;
using static Containerize.Engine.Tests.Layers.PythonTar;

namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>One layer: what GNU tar put in it is visible, with its metadata and content.</summary>
[TestCategory("Unit")]
[TestClass]
public class ImageFileSystemBasicsTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";

    private static LayeredImageFileSystem BaseImage(ImageFsFixture fixture) => fixture.Load(fixture.GnuTarLayer(tree =>
    {
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "passwd"), Passwd);
        Directory.CreateDirectory(Path.Combine(tree, "usr", "bin"));
        File.WriteAllText(Path.Combine(tree, "usr", "bin", "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(tree, "usr", "bin", "tool"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.CreateSymbolicLink(Path.Combine(tree, "bin"), "usr/bin");
    }));

    [TestMethod]
    public void FilesDirectoriesAndSymlinksAreVisible()
    {
        using var fixture = new ImageFsFixture();
        var fs = BaseImage(fixture);

        Assert.IsTrue(fs.IsDirectory("/"));
        Assert.IsTrue(fs.IsDirectory("/etc"));
        Assert.IsTrue(fs.IsDirectory("/usr/bin"));
        Assert.IsFalse(fs.IsDirectory("/etc/passwd"));
        Assert.IsTrue(fs.Exists("/etc/passwd"));
        Assert.IsFalse(fs.Exists("/etc/shadow"));
        Assert.AreEqual(new ImageFileInfo(ImageFileKind.Symlink, Convert.ToInt32("777", 8), fs.Stat("/bin")!.Uid, fs.Stat("/bin")!.Gid, 0, "usr/bin"), fs.Stat("/bin"));
        Assert.IsTrue(fs.IsDirectory("/bin"));
        Assert.AreEqual("#!/bin/sh\n", Text(fs.ReadFile("/bin/tool")));
    }

    [TestMethod]
    public void StatReportsModeOwnerAndSize()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.PythonLayer(
            new Entry("srv/", "dir", Mode: Convert.ToInt32("750", 8), Uid: 1000, Gid: 1001),
            new Entry("srv/run.sh", Content: "echo hi", Mode: Convert.ToInt32("4755", 8), Uid: 5, Gid: 6),
            new Entry("dev/null", "chr")));

        Assert.AreEqual(new ImageFileInfo(ImageFileKind.Directory, Convert.ToInt32("750", 8), 1000, 1001, 0, ""), fs.Stat("/srv"));
        Assert.AreEqual(new ImageFileInfo(ImageFileKind.File, Convert.ToInt32("4755", 8), 5, 6, 7, ""), fs.Stat("/srv/run.sh"));
        Assert.AreEqual(ImageFileKind.Other, fs.Stat("/dev/null")!.Kind);
        Assert.IsNull(fs.ReadFile("/dev/null"));
        Assert.IsNull(fs.Stat("/srv/missing"));
    }

    [TestMethod]
    public void EtcPasswdReadsBack()
    {
        using var fixture = new ImageFsFixture();
        var fs = BaseImage(fixture);

        Assert.AreEqual(Passwd, Text(fs.ReadFile("/etc/passwd")));
        Assert.IsNull(fs.ReadFile("/etc/group"));
        Assert.IsNull(fs.ReadFile("/etc"));
    }

    [TestMethod]
    public void PathsAreCleanedAndTrailingSlashesIgnored()
    {
        using var fixture = new ImageFsFixture();
        var fs = BaseImage(fixture);

        Assert.AreEqual(Passwd, Text(fs.ReadFile("/usr/./bin/../../etc//passwd")));
        Assert.AreEqual(Passwd, Text(fs.ReadFile("/../../etc/passwd")));
        Assert.IsTrue(fs.IsDirectory("/etc/"));
        Assert.IsTrue(fs.Exists("/usr/bin/"));
    }

    [TestMethod]
    public void ParentsThatWereNotListedExistAsDirectories()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.PythonLayer(new Entry("opt/app/lib/data.txt", Content: "data")));

        Assert.IsTrue(fs.IsDirectory("/opt"));
        Assert.IsTrue(fs.IsDirectory("/opt/app/lib"));
        Assert.AreEqual(new ImageFileInfo(ImageFileKind.Directory, Convert.ToInt32("755", 8), 0, 0, 0, ""), fs.Stat("/opt/app"));
        Assert.AreEqual("data", Text(fs.ReadFile("/opt/app/lib/data.txt")));
    }

    [TestMethod]
    public void AnImageWithoutLayersHasOnlyTheRoot()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load();

        Assert.IsTrue(fs.IsDirectory("/"));
        Assert.IsFalse(fs.Exists("/etc"));
        Assert.IsNull(fs.ReadFile("/etc/passwd"));
    }
}
