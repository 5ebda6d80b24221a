using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>Upper directories built by hand, as the kernel leaves them, turned into layers and read back with GNU tar.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class UpperDirectoryDiffTests
{
    /// <summary>VFS_CAP_REVISION_2 with the effective bit, permitted = cap_net_bind_service (bit 10).</summary>
    private static readonly byte[] NetBindServiceCapability = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [TestMethod]
    public void WhiteoutDevicesAndOpaqueDirectoriesBecomeOciWhiteouts()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        RootfsFixture.Write(upper, "a.txt", "new");
        RootfsFixture.Whiteout(upper, "gone");
        RootfsFixture.Whiteout(upper, "etc/old.conf");
        Directory.CreateDirectory(Path.Combine(upper, "replaced"));
        RootfsFixture.SetXattr(Path.Combine(upper, "replaced"), "trusted.overlay.opaque", "y");
        RootfsFixture.Write(upper, "replaced/new", "n");
        RootfsFixture.Write(upper, "x/y/deep", "d");

        var diff = f.Diff(upper);

        var list = f.List(diff.Layer);
        CollectionAssert.AreEqual(
            new[] { ".wh.gone", "a.txt", "etc/", "etc/.wh.old.conf", "replaced/", "replaced/.wh..wh..opq", "replaced/new", "x/", "x/y/", "x/y/deep" },
            list.Select(e => e.Name).ToArray());
        foreach (var whiteout in list.Where(e => e.Name.Contains(".wh.", StringComparison.Ordinal)))
        {
            Assert.AreEqual("----------", whiteout.Mode, whiteout.Name);
            Assert.AreEqual("0/0", whiteout.Owner, whiteout.Name);
            Assert.AreEqual("0", whiteout.Size, whiteout.Name);
        }
        Assert.AreEqual(10, diff.EntryCount);
        Assert.IsTrue(diff.HasChanges);
    }

    [TestMethod]
    public void UserNamespaceOpaqueXattrMarksTheDirectoryToo()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        Directory.CreateDirectory(Path.Combine(upper, "d"));
        RootfsFixture.SetXattr(Path.Combine(upper, "d"), "user.overlay.opaque", "y");

        var names = f.List(f.Diff(upper).Layer).Select(e => e.Name).ToArray();

        CollectionAssert.AreEqual(new[] { "d/", "d/.wh..wh..opq" }, names);
    }

    [TestMethod]
    public void OwnersModesAndImageXattrsAreKeptButOverlayBookkeepingIsNot()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        string tool = RootfsFixture.Write(upper, "usr/bin/tool", "#!/bin/sh");
        LibC.Lchown(tool, 1234, 5678);
        LibC.Chmod(tool, 0b100_111_101_101); // 4755
        Assert.IsTrue(LibC.TrySetXattr(tool, "security.capability", NetBindServiceCapability));
        RootfsFixture.SetXattr(tool, "user.note", "kept");
        RootfsFixture.SetXattr(tool, "trusted.overlay.origin", "bookkeeping");
        RootfsFixture.SetXattr(tool, "trusted.overlay.overlay.custom", "escaped by overlay");
        string dir = Path.Combine(upper, "usr");
        RootfsFixture.SetXattr(dir, "trusted.overlay.impure", "y");
        LibC.Chmod(Path.Combine(upper, "usr", "bin"), 0b111_101_000); // 750

        var diff = f.Diff(upper);

        var listing = f.Entries(diff.Layer);
        Assert.AreEqual("-rwsr-xr-x", listing["usr/bin/tool"].Mode);
        Assert.AreEqual("1234/5678", listing["usr/bin/tool"].Owner);
        Assert.AreEqual("drwxr-x---", listing["usr/bin/"].Mode);
        var entries = f.ReadEntries(diff.Layer).ToDictionary(e => e.Name);
        var xattrs = entries["usr/bin/tool"].Xattrs!;
        CollectionAssert.AreEquivalent(new[] { "security.capability", "trusted.overlay.custom", "user.note" }, xattrs.Keys.ToArray());
        CollectionAssert.AreEqual(NetBindServiceCapability, xattrs["security.capability"]);
        Assert.AreEqual("escaped by overlay", Encoding.UTF8.GetString(xattrs["trusted.overlay.custom"]));
        Assert.IsNull(entries["usr/"].Xattrs);
        Assert.AreEqual(0, list(f, diff).Count(n => n.Contains(".wh.", StringComparison.Ordinal)), "trusted.overlay.impure is no opaque marker");

        static IEnumerable<string> list(RootfsFixture f, UpperDiff diff) => f.List(diff.Layer).Select(e => e.Name);
    }

    [TestMethod]
    public void HardLinksSymlinksDevicesAndFifosTravel()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        string first = RootfsFixture.Write(upper, "bin/busybox", "multi-call");
        LibC.Link(first, Path.Combine(upper, "bin", "sh"));
        File.CreateSymbolicLink(Path.Combine(upper, "bin", "ls"), "busybox");
        Directory.CreateDirectory(Path.Combine(upper, "dev"));
        LibC.Mknod(Path.Combine(upper, "dev", "null"), UnixFileKind.CharacterDevice, 0b110_110_110, 1, 3);
        LibC.Mknod(Path.Combine(upper, "dev", "loop0"), UnixFileKind.BlockDevice, 0b110_110_000, 7, 0);
        LibC.Mknod(Path.Combine(upper, "run.fifo"), UnixFileKind.Fifo, 0b110_100_100, 0, 0);
        LibC.Chmod(Path.Combine(upper, "dev", "null"), 0b110_110_110); // past the umask
        LibC.Chmod(Path.Combine(upper, "dev", "loop0"), 0b110_110_000);

        var entries = f.Entries(f.Diff(upper).Layer);

        Assert.AreEqual("busybox", entries["bin/ls"].Target);
        Assert.AreEqual("bin/busybox", entries["bin/sh"].Target, "the second name of the inode is a hard link to the first");
        Assert.StartsWith("h", entries["bin/sh"].Mode);
        Assert.AreEqual("crw-rw-rw-", entries["dev/null"].Mode);
        Assert.AreEqual("1,3", entries["dev/null"].Size);
        Assert.AreEqual("brw-rw----", entries["dev/loop0"].Mode);
        Assert.AreEqual("prw-r--r--", entries["run.fifo"].Mode);
    }

    [TestMethod]
    public void WhiteoutsSharingOneInodeAreNotHardLinks()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        RootfsFixture.Whiteout(upper, "a");
        Directory.CreateDirectory(Path.Combine(upper, "d"));
        LibC.Link(Path.Combine(upper, "a"), Path.Combine(upper, "d", "b")); // overlay links its whiteouts to one inode (Linux 5.8+)

        var list = f.List(f.Diff(upper).Layer);

        CollectionAssert.AreEqual(new[] { ".wh.a", "d/", "d/.wh.b" }, list.Select(e => e.Name).ToArray());
        Assert.IsTrue(list.All(e => e.Target is null));
    }

    [TestMethod]
    public void HostOwnersOfARootlessStepMapBackToContainerIds()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        string file = RootfsFixture.Write(upper, "home/app/file");
        LibC.Lchown(Path.Combine(upper, "home"), 100000, 100000);
        LibC.Lchown(Path.Combine(upper, "home", "app"), 101000, 101000);
        LibC.Lchown(file, 101000, 100042);
        var options = new UpperDiffOptions
        {
            Uids = IdMapping.Parse("         0     100000      65536\n"),
            Gids = IdMapping.Parse("0 100000 65536"),
        };

        var entries = f.Entries(f.Diff(upper, options).Layer);

        Assert.AreEqual("0/0", entries["home/"].Owner);
        Assert.AreEqual("1000/1000", entries["home/app/"].Owner);
        Assert.AreEqual("1000/42", entries["home/app/file"].Owner);
    }

    [TestMethod]
    public void NamespacedFileCapabilitiesBelongToTheContainerRootAgain()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        string ping = RootfsFixture.Write(upper, "bin/ping");
        string other = RootfsFixture.Write(upper, "bin/other");
        foreach (string path in new[] { upper, Path.Combine(upper, "bin"), ping, other }) LibC.Lchown(path, 100000, 100000);
        // What `setcap cap_net_raw+ep` leaves when run in a user namespace whose root is host uid 100000: revision 3 with that root id.
        byte[] v3 = [0x01, 0x00, 0x00, 0x03, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa0, 0x86, 0x01, 0x00];
        Assert.IsTrue(LibC.TrySetXattr(ping, "security.capability", v3));
        byte[] v3OtherRoot = [.. v3[..20], 0xe8, 0x86, 0x01, 0x00]; // root id 100072: container uid 72
        Assert.IsTrue(LibC.TrySetXattr(other, "security.capability", v3OtherRoot));

        var diff = f.Diff(upper, new UpperDiffOptions { Uids = IdMapping.Parse("0 100000 65536"), Gids = IdMapping.Parse("0 100000 65536") });

        var entries = f.ReadEntries(diff.Layer).ToDictionary(e => e.Name);
        CollectionAssert.AreEqual(new byte[] { 0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, entries["bin/ping"].Xattrs!["security.capability"]);
        CollectionAssert.AreEqual((byte[])[.. v3[..20], 72, 0, 0, 0], entries["bin/other"].Xattrs!["security.capability"]);
    }

    [TestMethod]
    public void AnOwnerOutsideTheMappingIsAnError()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        string file = RootfsFixture.Write(upper, "file");
        LibC.Lchown(file, 5, 100000);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => f.Diff(upper, new UpperDiffOptions { Uids = IdMapping.Parse("0 100000 65536") }));

        Assert.AreEqual(ErrorCodes.UpperOwnerNotMapped, e.Code);
        StringAssert.Contains(e.Message, "host uid 5");
    }

    [TestMethod]
    public void AnEmptyUpperStillGivesTheEmptyLayerAsBuildKitDoes()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        Directory.CreateDirectory(Path.Combine(upper, "proc"));
        Directory.CreateDirectory(Path.Combine(upper, "dev", "pts"));

        var diff = f.Diff(upper, new UpperDiffOptions { ExcludedPaths = ["proc", "/dev/"] });

        Assert.IsFalse(diff.HasChanges);
        Assert.AreEqual(UpperDiff.EmptyTarDiffId, diff.Layer.DiffId.ToString());
        Assert.IsEmpty(f.List(diff.Layer));
    }

    [TestMethod]
    public void MountPointsOfTheHelperStayOut()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        Directory.CreateDirectory(Path.Combine(upper, "proc"));
        RootfsFixture.Write(upper, "dev/shm/leftover");
        RootfsFixture.Write(upper, "devices.txt");

        var names = f.List(f.Diff(upper, new UpperDiffOptions { ExcludedPaths = ["proc", "dev"] }).Layer).Select(e => e.Name).ToArray();

        CollectionAssert.AreEqual(new[] { "devices.txt" }, names);
    }

    [TestMethod]
    public void ASymlinkToAHostFolderTravelsAsALinkWithoutTheFolder()
    {
        using var f = new RootfsFixture();
        string host = f.Directory("host");
        RootfsFixture.Write(host, "secret", "host-file");
        string upper = f.Directory("upper");
        File.CreateSymbolicLink(Path.Combine(upper, "a"), host);

        var entries = f.ReadEntries(f.Diff(upper).Layer);

        Assert.AreEqual("a", entries.Single().Name);
        Assert.AreEqual(TarEntryType.SymbolicLink, entries.Single().Type);
        Assert.AreEqual(host, entries.Single().LinkName);
    }

    [TestMethod]
    public void ADirectorySwappedForASymlinkAfterTheWalkDoesNotPutHostContentInTheLayer()
    {
        using var f = new RootfsFixture();
        string host = f.Directory("host");
        RootfsFixture.Write(host, "secret", "host-file");
        string upper = f.Directory("upper");
        RootfsFixture.Write(upper, "a/secret", "container");
        var options = new UpperDiffOptions();

        // What a process the step left behind could do between the walk and the read of the content.
        IEnumerable<LayerSourceEntry> SwappedBeforeTheRead()
        {
            foreach (var entry in new UpperDirectoryWalker(options).Walk(upper, CancellationToken.None))
            {
                if (entry.Entry.Name == "a/secret")
                {
                    Directory.Move(Path.Combine(upper, "a"), Path.Combine(upper, "a.moved"));
                    File.CreateSymbolicLink(Path.Combine(upper, "a"), host);
                }
                yield return entry;
            }
        }

        var e = Assert.ThrowsExactly<ContainerizeException>(() => UpperDirectoryDiff.Write(SwappedBeforeTheRead(), upper, options, f.Store, CancellationToken.None));

        Assert.AreEqual(ErrorCodes.LayerSourceUnreadable, e.Code);
        StringAssert.Contains(e.Message, "a/secret");
    }

    [TestMethod]
    public void TheSameUpperGivesTheSameDigestAndTimesAreClampedToSourceDateEpoch()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        RootfsFixture.Write(upper, "b/file", "x");
        RootfsFixture.Whiteout(upper, "a");
        RootfsFixture.Write(upper, "old", "o");
        LibC.SetModificationTime(Path.Combine(upper, "old"), 1_000_000_000);
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1_500_000_000);
        var options = new UpperDiffOptions { Layer = new LayerOptions { TimestampMode = TimestampMode.Clamp, Timestamp = epoch } };

        var first = f.Diff(upper, options);
        var second = f.Diff(upper, options);

        Assert.AreEqual(first.Layer, second.Layer);
        var times = f.ReadEntries(first.Layer).ToDictionary(e => e.Name, e => e.MtimeSeconds);
        Assert.AreEqual(1_000_000_000, times["old"], "an older time is kept");
        Assert.AreEqual(1_500_000_000, times["b/file"], "a newer time is clamped");
        Assert.AreEqual(1_500_000_000, times[".wh.a"]);
    }

    [TestMethod]
    public void RedirectedDirectoriesAreRefusedInsteadOfDiffedWrong()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        Directory.CreateDirectory(Path.Combine(upper, "moved"));
        RootfsFixture.SetXattr(Path.Combine(upper, "moved"), "trusted.overlay.redirect", "/original");

        var e = Assert.ThrowsExactly<ContainerizeException>(() => f.Diff(upper));

        Assert.AreEqual(ErrorCodes.UnsupportedOverlayFeature, e.Code);
        StringAssert.Contains(e.Message, "redirect_dir=off");
    }

    [TestMethod]
    public void AMissingUpperDirectoryIsAnError()
    {
        using var f = new RootfsFixture();

        var e = Assert.ThrowsExactly<ContainerizeException>(() => f.Diff(Path.Combine(f.Root, "nope")));

        Assert.AreEqual(ErrorCodes.LayerSourceMissing, e.Code);
    }

    [TestMethod]
    public void IdMapTextIsValidated()
    {
        Assert.ThrowsExactly<FormatException>(() => IdMapping.Parse("0 100000"));
        Assert.IsTrue(IdMapping.Parse("").IsIdentity);
        var map = IdMapping.Parse("0 1000 1\n1 100000 65536");
        Assert.AreEqual(0, map.ToContainer(1000, "uid", "/x"));
        Assert.AreEqual(33, map.ToContainer(100032, "uid", "/x"));
    }
}
