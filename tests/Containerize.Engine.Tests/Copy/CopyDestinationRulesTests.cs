using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>Docker's destination rules: trailing slashes, existing directories, directory contents, created parents.</summary>
[TestCategory("Unit")]
[TestClass]
public class CopyDestinationRulesTests
{
    [TestMethod]
    public void AFileToADestinationEndingInSlashLandsInsideIt()
    {
        using var f = new CopyFixture();
        f.Write("a.txt", "hello");
        var layer = f.Copy("/app/", "a.txt");
        CollectionAssert.AreEqual(new[] { "app/", "app/a.txt" }, f.Names(layer));
        Assert.AreEqual("hello", f.Content(layer, "app/a.txt"));
    }

    [TestMethod]
    public void AFileToAPathWithoutSlashBecomesThatPath()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        var layer = f.Copy("/app/renamed", "a.txt");
        CollectionAssert.AreEqual(new[] { "app/", "app/renamed" }, f.Names(layer));
        StringAssert.StartsWith(f.Entries(layer)["app/renamed"].Mode, "-");
    }

    [TestMethod]
    public void AFileToAnExistingImageDirectoryWithoutSlashGoesInsideAndExistingParentsStayOut()
    {
        using var f = new CopyFixture();
        f.Image.WithDirectory("/usr/local/bin");
        f.Write("tool");
        var layer = f.Copy("/usr/local/bin", "tool");
        CollectionAssert.AreEqual(new[] { "usr/local/bin/tool" }, f.Names(layer));
    }

    [TestMethod]
    public void ARelativeDestinationResolvesAgainstTheWorkingDirectory()
    {
        using var f = new CopyFixture();
        f.Image.WithDirectory("/srv");
        f.Write("a.txt");
        var layer = f.Copy(f.Request("conf/", "a.txt") with { WorkingDirectory = "/srv/" });
        CollectionAssert.AreEqual(new[] { "srv/conf/", "srv/conf/a.txt" }, f.Names(layer));
    }

    [TestMethod]
    public void ADirectorySourceCopiesItsContentsNotItself()
    {
        using var f = new CopyFixture();
        f.Write("dir/top.txt");
        f.Write("dir/sub/deep.txt");
        var layer = f.Copy("/app", "dir");
        CollectionAssert.AreEqual(new[] { "app/", "app/sub/", "app/sub/deep.txt", "app/top.txt" }, f.Names(layer));
    }

    [TestMethod]
    public void TheWholeContextCopiesToTheRootWithoutARootEntry()
    {
        using var f = new CopyFixture();
        f.Write("x/y.txt");
        var layer = f.Copy("/", ".");
        CollectionAssert.AreEqual(new[] { "x/", "x/y.txt" }, f.Names(layer));
    }

    [TestMethod]
    public void MissingDestinationDirectoriesAreCreated0755AndOwnedByTheChownUser()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        var layer = f.Copy(f.Request("/x/y/z/", "a.txt") with { Chown = "1000:2000" });
        var entries = f.Entries(layer);
        CollectionAssert.AreEqual(new[] { "x/", "x/y/", "x/y/z/", "x/y/z/a.txt" }, entries.Keys.ToArray());
        foreach (string dir in new[] { "x/", "x/y/", "x/y/z/" })
        {
            Assert.AreEqual("drwxr-xr-x", entries[dir].Mode);
            Assert.AreEqual("1000/2000", entries[dir].Owner);
        }
    }

    [TestMethod]
    public void SeveralSourcesNeedADirectoryDestination()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        f.Write("b.txt");
        var e = f.Fails(f.Request("/app", "a.txt", "b.txt") with { Location = new SourceLocation("Dockerfile", 3, 1) });
        Assert.AreEqual(ErrorCodes.CopyDestinationNotDirectory, e.Code);
        StringAssert.Contains(e.Message, "the destination must be a directory and end with a /");
        Assert.AreEqual(new SourceLocation("Dockerfile", 3, 1), e.Location);
    }

    [TestMethod]
    public void AWildcardMatchingSeveralFilesNeedsADirectoryDestination()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        f.Write("b.txt");
        Assert.AreEqual(ErrorCodes.CopyDestinationNotDirectory, f.Fails(f.Request("/app", "*.txt")).Code);
    }

    [TestMethod]
    public void SeveralSourcesGoIntoAnExistingDirectoryEvenWithoutSlash()
    {
        using var f = new CopyFixture();
        f.Image.WithDirectory("/app");
        f.Write("a.txt");
        f.Write("b.txt");
        CollectionAssert.AreEqual(new[] { "app/a.txt", "app/b.txt" }, f.Names(f.Copy("/app", "a.txt", "b.txt")));
    }

    [TestMethod]
    public void AFileReplacingACopiedDirectoryTakesItsContentsAlong()
    {
        using var f = new CopyFixture();
        f.Write("one/conf/inner.txt");
        f.Write("two/conf", "now a file");
        var layer = f.Copy("/app/", "one", "two");
        CollectionAssert.AreEqual(new[] { "app/", "app/conf" }, f.Names(layer));
    }

    [TestMethod]
    public void ALaterSourceReplacesAnEarlierOneAtTheSamePath()
    {
        using var f = new CopyFixture();
        f.Write("one/same.txt", "first");
        f.Write("two/same.txt", "second");
        var layer = f.Copy("/app/", "one", "two");
        Assert.AreEqual("second", f.Content(layer, "app/same.txt"));
    }
}
