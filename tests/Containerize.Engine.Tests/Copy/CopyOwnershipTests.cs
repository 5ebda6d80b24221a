using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>--chown: numeric ids, names from the image's /etc/passwd and /etc/group; 0:0 without it.</summary>
[TestCategory("Unit")]
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CopyOwnershipTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1001:1002::/home/app:/bin/sh\n";
    private const string Group = "root:x:0:\nstaff:x:50:\napp:x:1002:\n";

    private static CopyFixture WithUsers()
    {
        var f = new CopyFixture();
        f.Image.WithFile("/etc/passwd", Passwd).WithFile("/etc/group", Group);
        f.Write("a.txt");
        return f;
    }

    private static string OwnerOf(CopyFixture f, string chown) =>
        f.Entries(f.Copy(f.Request("/app/", "a.txt") with { Chown = chown }))["app/a.txt"].Owner;

    [TestMethod]
    public void WithoutChownEverythingIsOwnedByRootWhateverTheHostOwner()
    {
        using var f = new CopyFixture();
        string path = f.Write("dir/a.txt");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Engine.IO.Native.LibC.IsRoot) TestSupport.ExternalTool.RunChecked("chown", "-R", "1234:4321", f.PathIn("dir"));
        var entries = f.Entries(f.Copy("/app/", "dir"));
        Assert.IsTrue(entries.Values.All(e => e.Owner == "0/0"));
    }

    [TestMethod]
    public void AUserNameTakesItsPrimaryGroupFromPasswd()
    {
        using var f = WithUsers();
        Assert.AreEqual("1001/1002", OwnerOf(f, "app"));
    }

    [TestMethod]
    public void UserAndGroupNamesAreBothLookedUp()
    {
        using var f = WithUsers();
        Assert.AreEqual("1001/50", OwnerOf(f, "app:staff"));
    }

    [TestMethod]
    public void ANumericUserWithoutGroupGetsTheSameGid()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        Assert.AreEqual("1234/1234", OwnerOf(f, "1234"));
        Assert.AreEqual("1234/77", OwnerOf(f, "1234:77"));
    }

    [TestMethod]
    public void ANumericUserWithAGroupNameLooksUpOnlyTheGroup()
    {
        using var f = WithUsers();
        Assert.AreEqual("5/1002", OwnerOf(f, "5:app"));
    }

    [TestMethod]
    public void AnUnknownUserSaysWhichFileWasConsulted()
    {
        using var f = WithUsers();
        var e = f.Fails(f.Request("/app/", "a.txt") with { Chown = "nobody" });
        Assert.AreEqual(ErrorCodes.CopyOwnerNotFound, e.Code);
        StringAssert.Contains(e.Message, "unable to find user 'nobody'");
        StringAssert.Contains(e.Message, "/etc/passwd");
    }

    [TestMethod]
    public void AnUnknownGroupSaysWhichFileWasConsulted()
    {
        using var f = WithUsers();
        var e = f.Fails(f.Request("/app/", "a.txt") with { Chown = "app:wheel" });
        StringAssert.Contains(e.Message, "/etc/group");
    }

    [TestMethod]
    public void ANameWithoutPasswdInTheImageIsAnError()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        var e = f.Fails(f.Request("/app/", "a.txt") with { Chown = "app" });
        StringAssert.Contains(e.Message, "no /etc/passwd");
    }

    [TestMethod]
    public void AMalformedChownIsAnError()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        Assert.AreEqual(ErrorCodes.InvalidCopyOwner, f.Fails(f.Request("/app/", "a.txt") with { Chown = "a:b:c" }).Code);
    }
}
