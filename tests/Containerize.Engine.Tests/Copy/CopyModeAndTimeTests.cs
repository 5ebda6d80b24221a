using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>Modes kept unless --chmod (octal or symbolic), mtimes kept unless SOURCE_DATE_EPOCH clamps them.</summary>
[TestCategory("Unit")]
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CopyModeAndTimeTests
{
    [TestMethod]
    public void FileModesArePreservedWithoutChmod()
    {
        using var f = new CopyFixture();
        File.SetUnixFileMode(f.Write("run.sh"), (UnixFileMode)0b111_101_000 | UnixFileMode.SetUser);
        Assert.AreEqual("-rwsr-x---", f.Entries(f.Copy("/bin/", "run.sh"))["bin/run.sh"].Mode);
    }

    [TestMethod]
    public void OctalChmodAppliesToFilesAndCopiedDirectoriesButNotToCreatedParents()
    {
        using var f = new CopyFixture();
        f.Write("dir/sub/a.txt");
        var entries = f.Entries(f.Copy(f.Request("/opt/app/", "dir") with { Chmod = "700" }));
        Assert.AreEqual("drwxr-xr-x", entries["opt/"].Mode);
        Assert.AreEqual("drwx------", entries["opt/app/"].Mode);
        Assert.AreEqual("drwx------", entries["opt/app/sub/"].Mode);
        Assert.AreEqual("-rwx------", entries["opt/app/sub/a.txt"].Mode);
    }

    [TestMethod]
    public void SymbolicChmodEditsEachEntrysOwnMode()
    {
        using var f = new CopyFixture();
        File.SetUnixFileMode(f.Write("d/a.txt"), (UnixFileMode)0b110_110_100);
        File.SetUnixFileMode(f.Write("d/b.sh"), (UnixFileMode)0b111_100_000);
        File.SetUnixFileMode(f.PathIn("d"), (UnixFileMode)0b111_111_111);
        var entries = f.Entries(f.Copy(f.Request("/x/", "d") with { Chmod = "u+x,g-w,o=rX" }));
        Assert.AreEqual("-rwxr--r-x", entries["x/a.txt"].Mode, "X counts the x that u+x just gave");
        Assert.AreEqual("-rwxr--r-x", entries["x/b.sh"].Mode);
        Assert.AreEqual("drwxr-xr-x", entries["x/"].Mode);
    }

    [TestMethod]
    public void AnInvalidChmodIsAnError()
    {
        using var f = new CopyFixture();
        f.Write("a");
        foreach (string chmod in new[] { "789", "12345", "u+q", "rwx" })
        {
            Assert.AreEqual(ErrorCodes.InvalidCopyChmod, f.Fails(f.Request("/x/", "a") with { Chmod = chmod }).Code, chmod);
        }
    }

    [TestMethod]
    public void FileTimesAreKept()
    {
        using var f = new CopyFixture();
        File.SetLastWriteTimeUtc(f.Write("a"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        Assert.AreEqual("2001-02-03 04:05:06", f.Entries(f.Copy("/x/", "a"))["x/a"].Time);
    }

    [TestMethod]
    public void SourceDateEpochClampsLaterTimesAndDatesCreatedDirectories()
    {
        using var f = new CopyFixture();
        File.SetLastWriteTimeUtc(f.Write("old"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        f.Write("new");
        var epoch = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var entries = f.Entries(f.Copy(f.Request("/x/", "old", "new") with { SourceDateEpoch = epoch }));
        Assert.AreEqual("2001-02-03 04:05:06", entries["x/old"].Time);
        Assert.AreEqual("2020-01-01 00:00:00", entries["x/new"].Time);
        Assert.AreEqual("2020-01-01 00:00:00", entries["x/"].Time);
    }

    [TestMethod]
    public void HeredocFilesGetTheirContentAndChmod()
    {
        using var f = new CopyFixture();
        var request = f.Request("/app/") with { Heredocs = [new("run.sh", "#!/bin/sh\necho hi\n")], Chmod = "755", Chown = "10:20" };
        var layer = f.Copy(request);
        var entry = f.Entries(layer)["app/run.sh"];
        Assert.AreEqual("-rwxr-xr-x", entry.Mode);
        Assert.AreEqual("10/20", entry.Owner);
        Assert.AreEqual("#!/bin/sh\necho hi\n", f.Content(layer, "app/run.sh"));
    }
}
