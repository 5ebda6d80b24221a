using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>The rootless pieces of Rootfs that need no user of their own: recorded owners in the diff, owners read from a layer, a store folder per mapping.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class RootlessOwnershipTests
{
    /// <summary>VFS_CAP_REVISION_2 with the effective bit, permitted = cap_net_bind_service (bit 10).</summary>
    private static readonly byte[] NetBindServiceCapability = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [TestMethod]
    public void RecordedOwnersModesAndCapabilitiesWinOverWhatTheUpperShowsAndOthersAreTranslated()
    {
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        RootfsFixture.Write(upper, "bin/tool", "t");
        RootfsFixture.Write(upper, "home/app/secret", "s");
        RootfsFixture.Write(upper, "plain", "p");
        File.CreateSymbolicLink(Path.Combine(upper, "link"), "plain");
        Directory.CreateDirectory(Path.Combine(upper, "d"));
        RootfsFixture.SetXattr(Path.Combine(upper, "d"), "user.overlay.opaque", "y");
        var owners = new Dictionary<string, ContainerFileOwner>
        {
            ["bin/tool"] = new("bin/tool", 0, 1654, 0b100_111_101_000, NetBindServiceCapability),
            ["home/app"] = new("home/app", 1654, 1654, 0b111_000_000),
            ["home/app/secret"] = new("home/app/secret", 1654, 1654, 0b110_000_000),
            ["link"] = new("link", 42, 43, 0b111_111_111),
            ["d"] = new("d", 7, 8, 0b111_000_000),
        };

        var diff = f.Diff(upper, new UpperDiffOptions { Owners = owners });

        var entries = f.Entries(diff.Layer);
        Assert.AreEqual(("0/1654", "-rwsr-x---"), (entries["bin/tool"].Owner, entries["bin/tool"].Mode));
        Assert.AreEqual(("1654/1654", "drwx------"), (entries["home/app/"].Owner, entries["home/app/"].Mode));
        Assert.AreEqual(("1654/1654", "-rw-------"), (entries["home/app/secret"].Owner, entries["home/app/secret"].Mode));
        Assert.AreEqual(("42/43", "lrwxrwxrwx"), (entries["link"].Owner, entries["link"].Mode));
        Assert.AreEqual(("7/8", "drwx------"), (entries["d/"].Owner, entries["d/"].Mode));
        Assert.IsTrue(entries.ContainsKey("d/.wh..wh..opq"), "the opaque marker is still read from the upper");
        Assert.AreEqual("0/0", entries["plain"].Owner);
        var tool = f.ReadEntries(diff.Layer).Single(e => e.Name == "bin/tool");
        CollectionAssert.AreEqual(NetBindServiceCapability, tool.Xattrs!["security.capability"]);
    }

    [TestMethod]
    public void LayerOwnersListsOtherIdsAndCapabilitiesOnlyAndTheLastEntryWins()
    {
        using var f = new RootfsFixture();
        string source = f.Directory("source");
        RootfsFixture.Write(source, "root-file");
        RootfsFixture.Write(source, "home/app/file");
        RootfsFixture.Write(source, "bin/ping");
        RootfsFixture.Write(source, ".wh.gone");
        LibC.Lchown(Path.Combine(source, ".wh.gone"), 5, 5);
        File.CreateSymbolicLink(Path.Combine(source, "home/app/link"), "file");
        LibC.Lchown(Path.Combine(source, "home/app"), 1654, 1654);
        LibC.Lchown(Path.Combine(source, "home/app/file"), 1654, 0);
        LibC.Lchown(Path.Combine(source, "home/app/link"), 1654, 1654);
        LibC.Chmod(Path.Combine(source, "home/app/file"), 0b110_000_000);
        LibC.Link(Path.Combine(source, "home/app/file"), Path.Combine(source, "home/app/hard")); // a hard link entry: its inode is the file's
        Assert.IsTrue(LibC.TrySetXattr(Path.Combine(source, "bin/ping"), "security.capability", NetBindServiceCapability));
        File.CreateSymbolicLink(Path.Combine(source, "abs"), "/etc/passwd");
        var layer = f.BuildLayer(source);

        var placed = f.ReadEntries(layer).Select(e => string.Join('/', LayerPath.Clean(e.Name, e.Name))).ToList();
        var owners = LayerOwners.Read(f.Store, layer, placed, otherIds: true, CancellationToken.None).ToDictionary(o => o.Path);

        CollectionAssert.AreEquivalent(new[] { "bin/ping", "home/app", "home/app/file", "home/app/link" }, owners.Keys.ToArray());
        Assert.AreEqual((1654L, 0L, 0b110_000_000), (owners["home/app/file"].Uid, owners["home/app/file"].Gid, owners["home/app/file"].Mode));
        Assert.AreEqual((0L, 0L), (owners["bin/ping"].Uid, owners["bin/ping"].Gid));
        CollectionAssert.AreEqual(NetBindServiceCapability, owners["bin/ping"].Capability);

        var single = LayerOwners.Read(f.Store, layer, placed, otherIds: false, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "bin/ping" }, single.Select(o => o.Path).ToArray(), "with one id only capabilities can be given");
    }

    [TestMethod]
    public void EachMappingHasItsOwnUnpackedFolder()
    {
        using var f = new RootfsFixture();
        var a = new UserNamespaceMapping(UserNamespaceKind.SubordinateRange, 1001, 1001, 100000, 65536, 100000, 65536, "/usr/bin/newuidmap", "/usr/bin/newgidmap");
        var b = a with { SubUidStart = 165536, SubGidStart = 165536 };
        var single = new UserNamespaceMapping(UserNamespaceKind.SingleId, 1001, 1001);

        var roots = new[] { a, b, single }.Select(m => new UnpackedLayerStore(f.Store, namespaceFiles: new UserNamespaceFiles(m))).ToList();

        Assert.AreEqual(Path.Combine(f.Store.Root, "unpacked-userns-u1001+100000x65536-g1001+100000x65536"), roots[0].Root);
        Assert.AreEqual(Path.Combine(f.Store.Root, "unpacked-userns-u1001+165536x65536-g1001+165536x65536"), roots[1].Root);
        Assert.AreEqual(Path.Combine(f.Store.Root, "unpacked-userns-u1001-g1001"), roots[2].Root);
        Assert.IsTrue(roots.All(r => r.Format == Engine.Layers.OverlayWhiteoutFormat.UserXattrs));
        Assert.IsNull(UserNamespaceFiles.For(new UserNamespaceMapping(UserNamespaceKind.None, 0, 0)), "root needs no namespace for files");
        Assert.AreEqual(Path.Combine(f.Store.Root, "unpacked"), new UnpackedLayerStore(f.Store).Root);
    }
}
