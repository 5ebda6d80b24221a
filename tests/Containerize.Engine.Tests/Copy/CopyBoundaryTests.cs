using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Copy;

/// <summary>What a copy may see: nothing outside the source root, nothing .dockerignore hides, nothing --exclude drops; symlinks stay symlinks.</summary>
[TestCategory("Unit")]
[TestClass]
public class CopyBoundaryTests
{
    [TestMethod]
    public void DotDotOutOfTheRootIsAPositionedError()
    {
        using var f = new CopyFixture();
        File.WriteAllText(f.TempPath("secret"), "s");
        var e = f.Fails(f.Request("/app/", "../secret") with { Location = new SourceLocation("Dockerfile", 7, 1) });
        Assert.AreEqual(ErrorCodes.CopySourceOutsideRoot, e.Code);
        StringAssert.Contains(e.Message, "resolves outside");
        Assert.AreEqual(7, e.Location!.Line);
    }

    [TestMethod]
    public void ATopLevelSymlinkPointingOutsideIsAnError()
    {
        using var f = new CopyFixture();
        f.Symlink("escape", "../../..");
        Assert.AreEqual(ErrorCodes.CopySourceOutsideRoot, f.Fails(f.Request("/app/", "escape/etc/passwd")).Code);
    }

    [TestMethod]
    public void ATopLevelSymlinkInsideTheRootIsFollowedAndAnAbsoluteTargetStartsAtTheRoot()
    {
        using var f = new CopyFixture();
        f.Write("real/config.json", "{}");
        f.Symlink("link.json", "/real/config.json");
        var layer = f.Copy("/app/", "link.json");
        var entry = f.Entries(layer)["app/link.json"];
        StringAssert.StartsWith(entry.Mode, "-");
        Assert.AreEqual("{}", f.Content(layer, "app/link.json"));
    }

    [TestMethod]
    public void SymlinksBelowASourceAreCopiedAsSymlinks()
    {
        using var f = new CopyFixture();
        f.Write("dir/target.txt");
        f.Symlink("dir/rel", "target.txt");
        f.Symlink("dir/abs", "/etc/hostname");
        var entries = f.Entries(f.Copy("/app/", "dir"));
        Assert.AreEqual("target.txt", entries["app/rel"].Target);
        Assert.AreEqual("/etc/hostname", entries["app/abs"].Target);
        Assert.AreEqual("lrwxrwxrwx", entries["app/abs"].Mode);
    }

    [TestMethod]
    public void FilesIgnoredByDockerignoreAreInvisible()
    {
        using var f = new CopyFixture();
        f.Write("app/keep.cs");
        f.Write("app/bin/out.dll");
        f.Write("app/secret.key");
        f.Write("app/bin/keep.me");
        var filter = IgnorePatterns.Create(["**/bin", "*/secret.key", "!app/bin/keep.me"]);
        var layer = f.Copy(f.Request("/src/", "app") with { SourceFilter = filter });
        CollectionAssert.AreEqual(new[] { "src/", "src/bin/", "src/bin/keep.me", "src/keep.cs" }, f.Names(layer));
    }

    [TestMethod]
    public void AnIgnoredSourceIsNotFound()
    {
        using var f = new CopyFixture();
        f.Write("secret.key");
        var filter = IgnorePatterns.Create(["*.key"]);
        Assert.AreEqual(ErrorCodes.CopySourceNotFound, f.Fails(f.Request("/app/", "secret.key") with { SourceFilter = filter }).Code);
        var e = f.Fails(f.Request("/app/", "*.key") with { SourceFilter = filter });
        StringAssert.Contains(e.Message, "no source files were specified");
    }

    [TestMethod]
    public void ExcludesDropMatchingEntriesBelowTheSourceAndMatchingTopLevelSources()
    {
        using var f = new CopyFixture();
        f.Write("dir/a.txt");
        f.Write("dir/b.log");
        f.Write("dir/logs/c.txt");
        f.Write("home.txt");
        f.Write("home.md");
        var layer = f.Copy(f.Request("/app/", "dir", "hom*") with { Excludes = ["*.log", "logs", "*.txt"] });
        CollectionAssert.AreEqual(new[] { "app/", "app/home.md" }, f.Names(layer));
    }

    [TestMethod]
    public void ExcludesMatchPathsRelativeToTheCopiedDirectory()
    {
        using var f = new CopyFixture();
        f.Write("dir/a.txt");
        f.Write("dir/sub/a.txt");
        f.Write("dir/sub/b.md");
        var layer = f.Copy(f.Request("/app/", "dir") with { Excludes = ["sub/*.txt"] });
        CollectionAssert.AreEqual(new[] { "app/", "app/a.txt", "app/sub/", "app/sub/b.md" }, f.Names(layer));
    }

    [TestMethod]
    public void HardLinkedFilesInOneCopyStayHardLinked()
    {
        using var f = new CopyFixture();
        f.Write("dir/a.bin", "shared");
        Engine.IO.Native.LibC.Link(f.PathIn("dir/a.bin"), f.PathIn("dir/b.bin"));
        var entries = f.Entries(f.Copy("/app/", "dir"));
        Assert.AreEqual("app/a.bin", entries["app/b.bin"].Target);
        StringAssert.StartsWith(entries["app/b.bin"].Mode, "h");
    }

    [TestMethod]
    public void ExtendedAttributesAreCopied()
    {
        using var f = new CopyFixture();
        string path = f.Write("a.txt");
        if (!Engine.IO.Native.LibC.TrySetXattr(path, "user.origin", "ctx"u8.ToArray()))
        {
            Assert.Fail("the temp file system must support user.* xattrs for this test");
        }
        string tar = ExternalTool.RunChecked("tar", "--xattrs", "--xattrs-include=user.*", "-tvvzf", f.Store.PathFor(f.Copy("/app/", "a.txt").Descriptor.Digest));
        StringAssert.Contains(tar, "user.origin");
    }
}
