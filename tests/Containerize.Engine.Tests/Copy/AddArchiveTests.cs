using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Copy;

/// <summary>ADD extracts local tar archives recognized by content (plain, gzip, bzip2, xz); anything else is copied like COPY.</summary>
[TestCategory("Unit")]
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddArchiveTests
{
    /// <summary>Packs pkg/{bin/tool, readme} owned 1000:1000 with GNU tar into the context under <paramref name="name"/>.</summary>
    private static void PackArchive(CopyFixture f, string name, string compressionFlag)
    {
        string staging = f.TempPath("pack");
        Directory.CreateDirectory(Path.Combine(staging, "bin"));
        File.WriteAllText(Path.Combine(staging, "bin", "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(staging, "bin", "tool"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(staging, "readme"), "read me");
        string[] arguments = ["--numeric-owner", "--owner=1000", "--group=1000", "-C", staging, "-cf", f.PathIn(name), "bin", "readme"];
        if (compressionFlag.Length > 0) arguments = [compressionFlag, .. arguments];
        ExternalTool.RunChecked("tar", arguments);
    }

    [TestMethod]
    [DataRow("plain.tar", "")]
    [DataRow("data.tgz", "-z")]
    [DataRow("data.bin", "-j")]
    [DataRow("misnamed.zip", "-J")]
    public void LocalArchivesAreExtractedIntoTheDestination(string name, string compressionFlag)
    {
        using var f = new CopyFixture();
        PackArchive(f, name, compressionFlag);
        var entries = f.Entries(f.Copy(f.Request("/opt/pkg", name) with { IsAdd = true }));
        CollectionAssert.AreEqual(new[] { "opt/", "opt/pkg/", "opt/pkg/bin/", "opt/pkg/bin/tool", "opt/pkg/readme" }, entries.Keys.ToArray());
        Assert.AreEqual("-rwxr-xr-x", entries["opt/pkg/bin/tool"].Mode);
        // Only root can give extracted files the archive's owners; otherwise they are root's in the image.
        Assert.AreEqual(Engine.IO.Native.LibC.IsRoot ? "1000/1000" : "0/0", entries["opt/pkg/readme"].Owner, "ADD keeps the archive's owners without --chown");
    }

    [TestMethod]
    public void ChownAppliesToExtractedEntries()
    {
        using var f = new CopyFixture();
        PackArchive(f, "a.tar.gz", "-z");
        var entries = f.Entries(f.Copy(f.Request("/opt/", "a.tar.gz") with { IsAdd = true, Chown = "7:8" }));
        Assert.IsTrue(entries.Values.All(e => e.Owner == "7/8"));
    }

    [TestMethod]
    public void ANonArchiveIsCopiedAsIsEvenWithAnArchiveName()
    {
        using var f = new CopyFixture();
        f.Write("notes.tar.gz", "just text");
        var layer = f.Copy(f.Request("/opt/", "notes.tar.gz") with { IsAdd = true });
        CollectionAssert.AreEqual(new[] { "opt/", "opt/notes.tar.gz" }, f.Names(layer));
        Assert.AreEqual("just text", f.Content(layer, "opt/notes.tar.gz"));
    }

    [TestMethod]
    public void ACompressedNonTarIsCopiedAsIs()
    {
        using var f = new CopyFixture();
        f.Write("log.txt", "plain log");
        ExternalTool.RunChecked("gzip", f.PathIn("log.txt"));
        CollectionAssert.AreEqual(new[] { "opt/", "opt/log.txt.gz" }, f.Names(f.Copy(f.Request("/opt/", "log.txt.gz") with { IsAdd = true })));
    }

    [TestMethod]
    public void CopyNeverExtracts()
    {
        using var f = new CopyFixture();
        PackArchive(f, "a.tar", "");
        CollectionAssert.AreEqual(new[] { "opt/", "opt/a.tar" }, f.Names(f.Copy("/opt/", "a.tar")));
    }

    [TestMethod]
    public void ATruncatedArchiveIsAnErrorAndLeavesNoTemporaryDirectory()
    {
        using var f = new CopyFixture();
        PackArchive(f, "full.tar", "");
        using (var full = File.OpenRead(f.PathIn("full.tar")))
        using (var cut = File.Create(f.PathIn("cut.tar")))
        {
            byte[] head = new byte[700];
            full.ReadExactly(head);
            cut.Write(head);
        }
        var before = Directory.GetDirectories(Path.GetTempPath(), "ctz-add-*").Length;
        var e = f.Fails(f.Request("/opt/", "cut.tar") with { IsAdd = true });
        Assert.AreEqual(Diagnostics.ErrorCodes.CopyArchiveUnreadable, e.Code);
        Assert.HasCount(before, Directory.GetDirectories(Path.GetTempPath(), "ctz-add-*"));
    }
}
