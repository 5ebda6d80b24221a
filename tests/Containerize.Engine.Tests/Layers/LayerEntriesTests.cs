using Containerize.Engine.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

/// <summary>What GNU tar sees in the layers we write.</summary>
[TestCategory("Unit")]
[TestClass]
public class LayerEntriesTests
{
    [TestMethod]
    public void DestinationRootParentsAreRootOwnedDirectories()
    {
        using var f = new LayerFixture();
        f.WriteFile("app.dll");
        var layer = f.Build(new LayerOptions { DestinationRoot = "/opt/my app/", Uid = 1000, Gid = 1000 });
        var lines = f.List(layer);
        Assert.HasCount(3, lines);
        StringAssert.StartsWith(lines[0], "drwxr-xr-x 0/0 ");
        StringAssert.EndsWith(lines[0], " opt/");
        StringAssert.StartsWith(lines[1], "drwxr-xr-x 0/0 ");
        StringAssert.EndsWith(lines[1], " opt/my app/");
        StringAssert.StartsWith(lines[2], "-rw-r--r-- 1000/1000 ");
        StringAssert.EndsWith(lines[2], " opt/my app/app.dll");
    }

    [TestMethod]
    public void ADestinationClimbingOutIsRefused()
    {
        using var f = new LayerFixture();
        var e = Assert.ThrowsExactly<Diagnostics.ContainerizeException>(() => f.Build(new LayerOptions { DestinationRoot = "/app/../../x" }));
        Assert.AreEqual(Diagnostics.ErrorCodes.UnsafeLayerPath, e.Code);
    }

    [TestMethod]
    [DataRow("4755", "-rwsr-xr-x")]
    [DataRow("2755", "-rwxr-sr-x")]
    [DataRow("1777", "-rwxrwxrwt")]
    [DataRow("0600", "-rw-------")]
    [DataRow("6711", "-rws--s--x")]
    public void ModeBitsAreKeptExactly(string octal, string expected)
    {
        using var f = new LayerFixture();
        ExternalTool.RunChecked("chmod", octal, f.WriteFile("tool"));
        Assert.AreEqual(expected, f.List(f.Build()).Single().Split(' ')[0]);
    }

    [TestMethod]
    public void OwnerFromDiskIsKeptWhenUidAndGidAreNull()
    {
        using var f = new LayerFixture();
        ExternalTool.RunChecked("chown", "1234:5678", f.WriteFile("a"));
        ExternalTool.RunChecked("chown", "3000000:4000000", f.WriteFile("big-ids")); // beyond ustar's 7 octal digits: PAX uid/gid
        var lines = f.List(f.Build(new LayerOptions { Uid = null, Gid = null }));
        StringAssert.Contains(lines.Single(l => l.EndsWith(" a", StringComparison.Ordinal)), " 1234/5678 ");
        StringAssert.Contains(lines.Single(l => l.EndsWith(" big-ids", StringComparison.Ordinal)), " 3000000/4000000 ");
    }

    [TestMethod]
    [DataRow(101)]
    [DataRow(256)]
    [DataRow(1000)]
    public void LongNamesSurviveGnuTar(int length)
    {
        using var f = new LayerFixture();
        // Components stay under the file system's 255-byte limit; the whole name does not.
        var components = new List<string>();
        for (int left = length; left > 0; left -= 201) components.Add(new string((char)('a' + components.Count), Math.Min(200, left)));
        string relative = string.Join('/', components);
        Assert.AreEqual(length, relative.Length);
        f.WriteFile(relative, "long");
        File.CreateSymbolicLink(f.PathIn("link"), relative);

        var entries = f.Entries(f.Build());
        Assert.AreEqual("4", entries[relative].Size);
        Assert.AreEqual(relative, entries["link"].Target);
    }

    [TestMethod]
    [DataRow("héllo wörld.txt")]
    [DataRow("日本語/ファイル.txt")]
    [DataRow("emoji-😀.txt")]
    public void NonAsciiNamesAreWrittenAsUtf8(string relative)
    {
        using var f = new LayerFixture();
        f.WriteFile(relative);
        var names = f.Names(f.Build());
        CollectionAssert.Contains(names, relative);
    }

    [TestMethod]
    public void SymlinksKeepTheirTargetText()
    {
        using var f = new LayerFixture();
        File.CreateSymbolicLink(f.PathIn("passwd"), "/etc/passwd");
        File.CreateSymbolicLink(f.PathIn("dangling"), "../nowhere");
        var entries = f.Entries(f.Build());
        Assert.AreEqual(new TarListing("lrwxrwxrwx", "0/0", "0", "1970-01-01 00:00:00", "passwd", "/etc/passwd"), entries["passwd"]);
        Assert.AreEqual("../nowhere", entries["dangling"].Target);
    }

    [TestMethod]
    public void SecondNameOfAnInodeBecomesAHardLinkToTheFirst()
    {
        using var f = new LayerFixture();
        string first = f.WriteFile("b/first", "shared content");
        ExternalTool.RunChecked("ln", first, f.PathIn("a-second"));
        ExternalTool.RunChecked("ln", first, f.PathIn("z-third"));

        var layer = f.Build();
        var entries = f.Entries(layer);
        // Sorted order decides which name carries the content: "a-second" comes first.
        Assert.AreEqual(new TarListing("-rw-r--r--", "0/0", "14", "1970-01-01 00:00:00", "a-second", null), entries["a-second"]);
        Assert.AreEqual("a-second", entries["b/first"].Target);
        Assert.StartsWith("h", entries["b/first"].Mode);
        Assert.AreEqual("a-second", entries["z-third"].Target);

        using var target = new TempDirectory();
        ExternalTool.RunChecked("tar", "-xf", f.TarFileOf(layer), "-C", target.Path);
        Assert.AreEqual("3", ExternalTool.RunChecked("stat", "-c", "%h", target.Combine("z-third")).Trim());
    }

    [TestMethod]
    [DataRow("user.comment", "68656c6c6f")]
    [DataRow("security.capability", "0100000200040000000000000000000000000000")] // cap_net_bind_service+ep: binary, with NULs
    public void XattrsTravelAsSchilyPaxRecords(string name, string hexValue)
    {
        using var f = new LayerFixture();
        string path = f.WriteFile("server");
        ExternalTool.RunChecked("python3", "-c", "import os,sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]))", path, name, hexValue);

        var layer = f.Build();
        var lines = f.List(layer, "--xattrs", "--xattrs-include=security.*", "--xattrs-include=user.*", "-v");
        CollectionAssert.Contains(lines.Select(l => l.Trim()).ToList(), $"x: {hexValue.Length / 2} {name}");

        using var target = new TempDirectory();
        ExternalTool.RunChecked("tar", "--xattrs", "--xattrs-include=security.*", "--xattrs-include=user.*", "-xf", f.TarFileOf(layer), "-C", target.Path);
        string read = ExternalTool.RunChecked("python3", "-c", "import os,sys; print(os.getxattr(sys.argv[1], sys.argv[2]).hex())", target.Combine("server"), name).Trim();
        Assert.AreEqual(hexValue, read);
    }

    [TestMethod]
    public void FifosAndDevicesAreWritten()
    {
        using var f = new LayerFixture();
        ExternalTool.RunChecked("mkfifo", f.PathIn("pipe"));
        ExternalTool.RunChecked("mknod", f.PathIn("null"), "c", "1", "3");
        var entries = f.Entries(f.Build());
        Assert.AreEqual(new TarListing("crw-r--r--", "0/0", "1,3", "1970-01-01 00:00:00", "null", null), entries["null"]);
        Assert.AreEqual("prw-r--r--", entries["pipe"].Mode);
    }

    [TestMethod]
    public void EntriesAreSortedByUtf8BytesWithDirectoriesBeforeTheirContent()
    {
        using var f = new LayerFixture();
        foreach (string name in new[] { "b", "a-b", "a/x", "a0", "B", "\uff21" /* fullwidth A: after every ASCII name */ }) f.WriteFile(name);
        CollectionAssert.AreEqual(new[] { "B", "a-b", "a/", "a/x", "a0", "b", "\uff21" }, f.Names(f.Build()));
    }
}
