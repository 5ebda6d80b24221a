using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>Source words: literal paths, Go filepath.Match wildcards per segment, and what is not found.</summary>
[TestCategory("Unit")]
[TestClass]
public class CopySourceMatchingTests
{
    [TestMethod]
    public void AStarMatchesWithinOneSegment()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        f.Write("b.txt");
        f.Write("c.md");
        f.Write("sub/d.txt");
        CollectionAssert.AreEqual(new[] { "app/", "app/a.txt", "app/b.txt" }, f.Names(f.Copy("/app/", "*.txt")));
    }

    [TestMethod]
    public void WildcardsWorkInDirectorySegmentsWithQuestionMarksAndClasses()
    {
        using var f = new CopyFixture();
        f.Write("d1r/x.cfg");
        f.Write("d2r/y.cfg");
        f.Write("d3r/z.cfg");
        f.Write("dxr/w.cfg");
        CollectionAssert.AreEqual(new[] { "app/", "app/w.cfg", "app/x.cfg", "app/y.cfg", "app/z.cfg" }, f.Names(f.Copy("/app/", "d[12]r/*.cfg", "d?r/w*", "/d[^1-2x]r/*")));
    }

    [TestMethod]
    public void AnEscapedWildcardCharacterIsLiteral()
    {
        using var f = new CopyFixture();
        f.Write("star*.txt");
        f.Write("starry.txt");
        CollectionAssert.AreEqual(new[] { "app/", "app/star*.txt" }, f.Names(f.Copy("/app/", "star\\*.txt")));
    }

    [TestMethod]
    public void AWildcardMatchingNothingIsAnError()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        var e = f.Fails(f.Request("/app/", "*.json"));
        Assert.AreEqual(ErrorCodes.CopySourceNotFound, e.Code);
        StringAssert.Contains(e.Message, "no source files were specified");
        StringAssert.Contains(e.Message, "*.json");
    }

    [TestMethod]
    public void AMissingSourceIsAnErrorNamingIt()
    {
        using var f = new CopyFixture();
        var e = f.Fails(f.Request("/app/", "missing.txt"));
        Assert.AreEqual(ErrorCodes.CopySourceNotFound, e.Code);
        StringAssert.Contains(e.Message, "lstat \"/missing.txt\": no such file or directory");
    }

    [TestMethod]
    public void AMalformedPatternIsAnError()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        var e = f.Fails(f.Request("/app/", "[a-"));
        Assert.AreEqual(ErrorCodes.InvalidCopyPattern, e.Code);
    }

    [TestMethod]
    public void ALeadingSlashIsRelativeToTheSourceRoot()
    {
        using var f = new CopyFixture();
        f.Write("etc/conf");
        CollectionAssert.AreEqual(new[] { "app/", "app/conf" }, f.Names(f.Copy("/app/", "/etc/conf")));
    }

    [TestMethod]
    public void ParentsKeepTheSourceDirectoriesBelowTheRoot()
    {
        using var f = new CopyFixture();
        f.Write("a/b/f.txt");
        f.Write("c/g.txt");
        f.Write("c/h.md");
        var layer = f.Copy(f.Request("/dest", "a/b/f.txt", "c/*.txt") with { Parents = true });
        CollectionAssert.AreEqual(new[] { "dest/", "dest/a/", "dest/a/b/", "dest/a/b/f.txt", "dest/c/", "dest/c/g.txt" }, f.Names(layer));
    }

    [TestMethod]
    public void ParentsKeepOnlyWhatFollowsADotPivot()
    {
        using var f = new CopyFixture();
        f.Write("src/app/lib/x.dll");
        var layer = f.Copy(f.Request("/dest/", "src/./app/lib") with { Parents = true });
        CollectionAssert.AreEqual(new[] { "dest/", "dest/app/", "dest/app/lib/", "dest/app/lib/x.dll" }, f.Names(layer));
    }
}
