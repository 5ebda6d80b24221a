using Containerize.TestSupport;
using static Containerize.Engine.Tests.Layers.PythonTar;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Hostile layers written by Python's tarfile must never write outside the target directory.</summary>
[TestCategory("Unit")]
[TestClass]
public class LayerExtractorSafetyTests
{
    [TestMethod]
    [DataRow("../escaped")]
    [DataRow("/../escaped")]
    [DataRow("a/../../escaped")]
    [DataRow("./a/b/../../../escaped")]
    public void EntriesClimbingOutOfTheRootAreRefused(string name)
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("root", "target");
        string layer = Write(temp.Combine("evil.tar"), new Entry("ok.txt", Content: "fine"), new Entry(name, Content: "pwned"));

        var e = Assert.ThrowsExactly<ContainerizeException>(() => ExtractHelper.Extract(layer, target));

        Assert.AreEqual(ErrorCodes.UnsafeLayerPath, e.Code);
        StringAssert.Contains(e.Message, name);
        StringAssert.Contains(e.Message, "unsafe");
        Assert.IsFalse(File.Exists(temp.Combine("root", "escaped")));
        Assert.IsFalse(File.Exists(temp.Combine("escaped")));
    }

    [TestMethod]
    public void AbsoluteNamesLandInsideTheTarget()
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("target");
        ExtractHelper.Extract(Write(temp.Combine("abs.tar"), new Entry("/etc/motd", Content: "hi")), target);
        Assert.AreEqual("hi", File.ReadAllText(Path.Combine(target, "etc", "motd")));
    }

    [TestMethod]
    [DataRow("/etc-outside")]
    [DataRow("../../etc-outside")]
    [DataRow("../../../../../../../../etc-outside")]
    public void AFileBehindASymlinkStaysInsideTheTarget(string symlinkTarget)
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("a", "target");
        string outside = temp.Combine("etc-outside");
        Directory.CreateDirectory(outside);
        string layer = Write(temp.Combine("evil.tar"),
            // An absolute target names the real outside folder; relative ones climb towards it.
            new Entry("etc", "symlink", LinkName: symlinkTarget.StartsWith('/') ? outside : symlinkTarget),
            new Entry("etc/passwd", Content: "root::0:0::/:/bin/sh"));

        ExtractHelper.Extract(layer, target);

        Assert.IsEmpty(Directory.GetFileSystemEntries(outside), "nothing may be written outside the target");
        Assert.IsFalse(File.Exists(temp.Combine("etc-outside", "passwd")));
        // As in a container, the symlink is resolved with the target as '/': the file lands inside.
        Assert.AreEqual(1, Directory.GetFiles(target, "passwd", SearchOption.AllDirectories).Length);
    }

    [TestMethod]
    public void ASymlinkEntryIsReplacedNotWrittenThrough()
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("target");
        string victim = temp.Combine("victim.txt");
        File.WriteAllText(victim, "original");
        string layer = Write(temp.Combine("evil.tar"),
            new Entry("file", "symlink", LinkName: victim),
            new Entry("file", Content: "overwritten?"));

        ExtractHelper.Extract(layer, target);

        Assert.AreEqual("original", File.ReadAllText(victim));
        Assert.AreEqual("overwritten?", File.ReadAllText(Path.Combine(target, "file")));
        Assert.IsNull(new FileInfo(Path.Combine(target, "file")).LinkTarget);
    }

    [TestMethod]
    [DataRow("../../secret")]
    [DataRow("/../secret")]
    public void HardLinksToOutsideAreRefused(string linkName)
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("x", "target");
        Directory.CreateDirectory(temp.Combine("x"));
        File.WriteAllText(temp.Combine("x", "secret"), "s3cret");
        string layer = Write(temp.Combine("evil.tar"), new Entry("innocent", "link", LinkName: linkName));

        var e = Assert.ThrowsExactly<ContainerizeException>(() => ExtractHelper.Extract(layer, target));

        Assert.AreEqual(ErrorCodes.UnsafeLayerPath, e.Code);
        StringAssert.Contains(e.Message, "innocent");
        Assert.IsFalse(File.Exists(Path.Combine(target, "innocent")));
    }

    [TestMethod]
    public void AHardLinkThroughASymlinkedDirectoryCannotReachOutside()
    {
        using var temp = new TempDirectory();
        string target = temp.Combine("target");
        File.WriteAllText(temp.Combine("shadow"), "secret");
        string layer = Write(temp.Combine("evil.tar"),
            new Entry("up", "symlink", LinkName: temp.Path),
            new Entry("stolen", "link", LinkName: "up/shadow"));

        var e = Assert.ThrowsExactly<ContainerizeException>(() => ExtractHelper.Extract(layer, target));

        Assert.AreEqual(ErrorCodes.CorruptLayer, e.Code, "the link target is looked up inside the target, where it does not exist");
        Assert.IsFalse(File.Exists(Path.Combine(target, "stolen")));
        Assert.AreEqual(1L, (long)ExternalToolLinkCount(temp.Combine("shadow")));
    }

    [TestMethod]
    public void ASymlinkLoopIsRefused()
    {
        using var temp = new TempDirectory();
        string layer = Write(temp.Combine("loop.tar"),
            new Entry("a", "symlink", LinkName: "b"),
            new Entry("b", "symlink", LinkName: "a"),
            new Entry("a/file", Content: "x"));
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ExtractHelper.Extract(layer, temp.Combine("target")));
        Assert.AreEqual(ErrorCodes.UnsafeLayerPath, e.Code);
    }

    private static int ExternalToolLinkCount(string path) => int.Parse(ExternalTool.RunChecked("stat", "-c", "%h", path).Trim());
}
