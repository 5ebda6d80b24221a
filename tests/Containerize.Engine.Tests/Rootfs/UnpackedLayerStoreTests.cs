using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>Layers unpacked once per diff ID as overlay lower directories, checked with real overlay mounts.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class UnpackedLayerStoreTests
{
    private static readonly byte[] NetBindServiceCapability = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A base layer, and an OCI layer over it that deletes, replaces a directory and adds.</summary>
    private static (Layer Base, Layer Top) TwoLayers(RootfsFixture f)
    {
        string bottom = f.Directory("base-src");
        RootfsFixture.Write(bottom, "a", "a");
        RootfsFixture.Write(bottom, "dir/old", "old");
        RootfsFixture.Write(bottom, "dir/sub/older", "older");
        RootfsFixture.Write(bottom, "etc/hosts", "127.0.0.1 localhost");
        string tool = RootfsFixture.Write(bottom, "usr/bin/tool", "#!/bin/sh");
        LibC.Lchown(tool, 1234, 5678);
        LibC.Chmod(tool, 0b100_111_101_101);
        Assert.IsTrue(LibC.TrySetXattr(tool, "security.capability", NetBindServiceCapability));
        LibC.Link(tool, Path.Combine(bottom, "usr", "bin", "tool-alias"));
        LibC.Mknod(Path.Combine(bottom, "null"), UnixFileKind.CharacterDevice, 0b110_110_110, 1, 3);

        // A layer source whose files are named like OCI whiteouts is an OCI layer with whiteouts.
        string top = f.Directory("top-src");
        RootfsFixture.Write(top, ".wh.a", "");
        RootfsFixture.Write(top, "dir/.wh..wh..opq", "");
        RootfsFixture.Write(top, "dir/new", "new");
        RootfsFixture.Write(top, "etc/.wh.hosts", "");
        RootfsFixture.Write(top, "etc/hostname", "box");
        return (f.BuildLayer(bottom), f.BuildLayer(top));
    }

    [TestMethod]
    public void OciWhiteoutsBecomeOverlayWhiteoutsAndTheMountShowsTheImage()
    {
        using var f = new RootfsFixture();
        var (bottom, top) = TwoLayers(f);
        var store = new UnpackedLayerStore(f.Store);

        var lowers = store.GetLowerDirectoriesBottomFirstAsync([bottom, top], CancellationToken.None).GetAwaiter().GetResult();

        Assert.AreEqual(OverlayWhiteoutFormat.TrustedXattrs, store.Format, "root writes trusted.overlay.* xattrs");
        CollectionAssert.AreEqual(new[] { store.PathFor([bottom]), store.PathFor([bottom, top]) }, lowers.ToArray(), "bottom first, as the image lists them");
        string chainId = Digest.Sha256(System.Text.Encoding.ASCII.GetBytes($"{bottom.DiffId} {top.DiffId}")).Hex;
        Assert.AreEqual(Path.Combine(f.Store.Root, "unpacked", "chains", "sha256", top.DiffId.Hex, chainId), lowers[1], "a layer's tree is named by its chain ID, below its diff ID");
        Assert.AreEqual(Path.Combine(f.Store.Root, "unpacked", "chains", "sha256", bottom.DiffId.Hex, bottom.DiffId.Hex), lowers[0], "the bottom layer's chain ID is its diff ID");
        string unpackedTop = lowers[1];
        Assert.IsTrue(LibC.Statx(Path.Combine(unpackedTop, "a")) is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 0, RdevMinor: 0 });
        Assert.IsTrue(LibC.Statx(Path.Combine(unpackedTop, "etc", "hosts")) is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 0, RdevMinor: 0 });
        Assert.AreEqual("y", RootfsFixture.Xattr(Path.Combine(unpackedTop, "dir"), "trusted.overlay.opaque"));
        Assert.IsNull(RootfsFixture.Xattr(Path.Combine(unpackedTop, "etc"), "trusted.overlay.opaque"));
        Assert.IsFalse(Directory.EnumerateFileSystemEntries(unpackedTop, ".wh.*", SearchOption.AllDirectories).Any(), "no OCI marker is left as a file");

        string merged = Path.Combine(f.Root, "merged-view");
        f.Overlay(lowers, upper: null, "true", merged);
        string expected = f.Directory("expected");
        f.Apply(expected, bottom, top);
        RootfsFixture.AssertSameTree(expected, merged);
        Assert.IsFalse(File.Exists(Path.Combine(merged, "a")));
        Assert.IsFalse(File.Exists(Path.Combine(merged, "dir", "old")));
    }

    [TestMethod]
    public void OwnersModesCapabilitiesDevicesAndHardLinksArePreserved()
    {
        using var f = new RootfsFixture();
        var (bottom, _) = TwoLayers(f);
        var store = new UnpackedLayerStore(f.Store);

        string root = store.GetOrUnpackAsync(bottom, CancellationToken.None).GetAwaiter().GetResult();

        var tool = LibC.Statx(Path.Combine(root, "usr", "bin", "tool"));
        Assert.AreEqual((1234L, 5678L, 0b100_111_101_101), (tool.Uid, tool.Gid, tool.Permissions));
        CollectionAssert.AreEqual(NetBindServiceCapability, LibC.ReadXattrs(Path.Combine(root, "usr", "bin", "tool"))["security.capability"]);
        Assert.AreEqual(tool.Inode, LibC.Statx(Path.Combine(root, "usr", "bin", "tool-alias")).Inode);
        Assert.IsTrue(LibC.Statx(Path.Combine(root, "null")) is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 1, RdevMinor: 3 });
        Assert.IsTrue(store.Contains(bottom.DiffId));
    }

    [TestMethod]
    public void TwoBuildsAskingForOneLayerGetOneDirectory()
    {
        using var f = new RootfsFixture();
        string source = f.Directory("src");
        for (int i = 0; i < 200; i++) RootfsFixture.Write(source, $"d{i % 10}/f{i}", new string('x', i * 100));
        var layer = f.BuildLayer(source);
        var first = new UnpackedLayerStore(f.Store);
        var second = new UnpackedLayerStore(f.Store); // another build sharing the store

        var tasks = Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).GetOrUnpackAsync(layer, CancellationToken.None))).ToArray();
        string[] paths = Task.WhenAll(tasks).GetAwaiter().GetResult();

        Assert.AreEqual(1, paths.Distinct().Count());
        Assert.AreEqual(200, Directory.EnumerateFiles(paths[0], "*", SearchOption.AllDirectories).Count());
        Assert.IsEmpty(Directory.GetDirectories(Path.Combine(first.Root, "tmp")), "no temporary directory is left");
    }

    [TestMethod]
    public void ALayerWhoseContentIsNotItsDiffIdLeavesNothing()
    {
        using var f = new RootfsFixture();
        var (bottom, top) = TwoLayers(f);
        var store = new UnpackedLayerStore(f.Store);
        var lying = bottom with { DiffId = top.DiffId };

        var e = Assert.ThrowsExactly<ContainerizeException>(() => store.GetOrUnpackAsync(lying, CancellationToken.None).GetAwaiter().GetResult());

        Assert.AreEqual(ErrorCodes.UnpackedLayerMismatch, e.Code);
        StringAssert.Contains(e.Message, bottom.DiffId.ToString());
        Assert.IsFalse(store.Contains(top.DiffId));
        Assert.IsEmpty(Directory.GetDirectories(Path.Combine(store.Root, "tmp")));
    }

    [TestMethod]
    public void ATruncatedBlobFailsWithoutLeavingADirectory()
    {
        using var f = new RootfsFixture();
        var (bottom, _) = TwoLayers(f);
        byte[] blob = f.Store.ReadAllBytes(bottom.Descriptor.Digest);
        var truncatedDigest = f.Store.Put(blob.AsSpan(0, blob.Length / 2));
        var truncated = bottom with { Descriptor = bottom.Descriptor with { Digest = truncatedDigest, Size = blob.Length / 2 } };
        var store = new UnpackedLayerStore(f.Store);

        var e = Assert.Throws<Exception>(() => store.GetOrUnpackAsync(truncated, CancellationToken.None).GetAwaiter().GetResult());

        Assert.IsTrue(e is ContainerizeException { Code: ErrorCodes.CorruptLayer } or InvalidDataException, e.ToString());
        Assert.IsFalse(store.Contains(bottom.DiffId));
        Assert.IsEmpty(Directory.GetDirectories(Path.Combine(store.Root, "tmp")));
    }

    [TestMethod]
    public void ACancelledUnpackLeavesNothing()
    {
        using var f = new RootfsFixture();
        string source = f.Directory("src");
        for (int i = 0; i < 3000; i++) RootfsFixture.Write(source, $"d{i % 20}/f{i}", "x");
        var layer = f.BuildLayer(source);
        var store = new UnpackedLayerStore(f.Store);
        using var cancel = new CancellationTokenSource();
        string temp = Path.Combine(store.Root, "tmp");

        var unpack = store.GetOrUnpackAsync(layer, cancel.Token);
        // Cancel once the unpack is under way: its temporary directory has some of the files.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!unpack.IsCompleted && !Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories).Skip(10).Any() && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(1);
        }
        if (unpack.IsCompletedSuccessfully) Assert.Fail("The unpack of 3,000 files finished before it could be cancelled; the test needs a slower unpack.");
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => unpack.GetAwaiter().GetResult());

        Assert.IsFalse(store.Contains(layer.DiffId));
        Assert.IsEmpty(Directory.GetDirectories(Path.Combine(store.Root, "tmp")));
    }

    [TestMethod]
    public void AbandonedTemporaryDirectoriesOfDeadBuildsAreRemoved()
    {
        using var f = new RootfsFixture();
        var store = new UnpackedLayerStore(f.Store);
        ulong start = Engine.IO.OwningProcess.Current.StartTime;
        string abandoned = Path.Combine(store.Root, "tmp", $"{new string('a', 64)}.{int.MaxValue - 7}-{start}-{Guid.NewGuid():N}");
        RootfsFixture.Write(abandoned, "half/written", "x");
        string recycled = Path.Combine(store.Root, "tmp", $"{new string('c', 64)}.{Environment.ProcessId}-{start + 1}-{Guid.NewGuid():N}");
        RootfsFixture.Write(recycled, "half/written", "x");
        string pruned = Path.Combine(store.Root, "tmp", $"{new string('d', 64)}.pruned-{int.MaxValue - 7}-{start}-{Guid.NewGuid():N}");
        RootfsFixture.Write(pruned, "half/deleted", "x");
        string live = Path.Combine(store.Root, "tmp", Engine.IO.TemporaryName.Create(new string('b', 64) + "."));
        Directory.CreateDirectory(live);

        _ = new UnpackedLayerStore(f.Store);

        Assert.IsFalse(Directory.Exists(abandoned));
        Assert.IsFalse(Directory.Exists(recycled), "an earlier process with this build's id left it");
        Assert.IsFalse(Directory.Exists(pruned), "a prune that was killed left it");
        Assert.IsTrue(Directory.Exists(live), "a directory of a running build stays");
    }

    [TestMethod]
    [DoNotParallelize] // the allocation count is the whole process's
    public void AHundredMegabyteFileStreamsThroughWithoutBigAllocations()
    {
        using var f = new RootfsFixture();
        string source = f.Directory("src");
        string big = Path.Combine(source, "big.bin");
        using (var file = File.Create(big))
        {
            var block = new byte[1 << 20];
            new Random(7).NextBytes(block);
            for (int i = 0; i < 100; i++)
            {
                block[0] = (byte)i;
                file.Write(block);
            }
        }
        LibC.Link(big, Path.Combine(source, "big.link"));
        var layer = LayerBuilder.FromDirectoryAsync(source, new LayerOptions { CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }, f.Store, CancellationToken.None)
            .GetAwaiter().GetResult();
        var store = new UnpackedLayerStore(f.Store);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        string root = store.GetOrUnpackAsync(layer, CancellationToken.None).GetAwaiter().GetResult();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.AreEqual(100L << 20, new FileInfo(Path.Combine(root, "big.bin")).Length);
        Assert.AreEqual(LibC.Statx(Path.Combine(root, "big.bin")).Inode, LibC.Statx(Path.Combine(root, "big.link")).Inode);
        Assert.IsLessThan(16L << 20, allocated, $"unpacking 100 MB allocated {allocated / 1024} KiB");
    }

    [TestMethod]
    public void UserXattrFormatIsWhatARootlessOverlayReads()
    {
        using var f = new RootfsFixture();
        var (bottom, top) = TwoLayers(f);
        var store = new UnpackedLayerStore(f.Store, OverlayWhiteoutFormat.UserXattrs);

        var lowers = store.GetLowerDirectoriesBottomFirstAsync([bottom, top], CancellationToken.None).GetAwaiter().GetResult();

        Assert.AreEqual(store.PathFor([bottom, top]), lowers[1]);
        StringAssert.StartsWith(lowers[1], Path.Combine(f.Store.Root, "unpacked-userxattr", "chains", "sha256", top.DiffId.Hex) + "/");
        Assert.AreEqual("y", RootfsFixture.Xattr(Path.Combine(lowers[1], "dir"), "user.overlay.opaque"));
        Assert.IsNull(RootfsFixture.Xattr(Path.Combine(lowers[1], "dir"), "trusted.overlay.opaque"));

        // The mount a rootless helper does: userxattr (here as root, which reads user.overlay.* the same way).
        string merged = Path.Combine(f.Root, "merged-view");
        f.Overlay(lowers, upper: null, "true", merged, options: "userxattr");
        string expected = f.Directory("expected");
        f.Apply(expected, bottom, top);
        RootfsFixture.AssertSameTree(expected, merged);
    }

    [TestMethod]
    public void ALayerThatOccursTwiceIsUnpackedOverTheLayersBelowEachOccurrence()
    {
        using var f = new RootfsFixture();
        var (bottom, top) = TwoLayers(f);
        var store = new UnpackedLayerStore(f.Store);

        var lowers = store.GetLowerDirectoriesBottomFirstAsync([top, bottom, top], CancellationToken.None).GetAwaiter().GetResult();

        CollectionAssert.AreEqual(new[] { store.PathFor([top]), store.PathFor([top, bottom]), store.PathFor([top, bottom, top]) }, lowers.ToArray());
        Assert.HasCount(3, lowers.Distinct());
    }
}
