using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>
/// The copy fallback judged against the kernel's overlay on the same hand-made lower directories:
/// the copied root is the overlay's merged view, and the same commands give the same layer entries
/// through the snapshot diff as through the upper directory.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class CopyFallbackTests
{
    private const string OverlayOptions = "redirect_dir=off,index=off,metacopy=off";
    private const long Y2001 = 1_000_000_000;

    /// <summary>Two lower directories, bottom first, using every kind of entry, whiteouts and an opaque directory.</summary>
    private static List<string> Lowers(RootfsFixture f)
    {
        string bottom = f.Directory("lower-bottom");
        RootfsFixture.Write(bottom, "a", "a");
        RootfsFixture.Write(bottom, "d/x", "x");
        RootfsFixture.Write(bottom, "d/y", "y");
        RootfsFixture.Write(bottom, "r/old", "old");
        RootfsFixture.Write(bottom, "f", "file that becomes a directory");
        string h1 = RootfsFixture.Write(bottom, "h1", "linked");
        LibC.Link(h1, Path.Combine(bottom, "h2"));
        File.CreateSymbolicLink(Path.Combine(bottom, "s"), "a");
        string owned = RootfsFixture.Write(bottom, "o", "owned");
        LibC.Lchown(owned, 1000, 1001);
        string setuid = RootfsFixture.Write(bottom, "su", "setuid");
        LibC.Chmod(setuid, 0b100_111_101_101);
        RootfsFixture.SetXattr(RootfsFixture.Write(bottom, "x-attr", "x"), "user.test", "value");
        LibC.Mknod(Path.Combine(bottom, "null"), UnixFileKind.CharacterDevice, 0b110_110_110, 1, 3);
        LibC.Mknod(Path.Combine(bottom, "fifo"), UnixFileKind.Fifo, 0b110_100_100, 0, 0);
        string same = RootfsFixture.Write(bottom, "same", "Y");
        LibC.SetModificationTime(same, Y2001);

        string top = f.Directory("lower-top");
        RootfsFixture.Write(top, "a", "a again");
        RootfsFixture.Whiteout(top, "d/x");
        Directory.CreateDirectory(Path.Combine(top, "r"));
        RootfsFixture.SetXattr(Path.Combine(top, "r"), "trusted.overlay.opaque", "y");
        RootfsFixture.Write(top, "r/new", "new");
        RootfsFixture.Write(top, "f/inside", "in");
        return [bottom, top];
    }

    [TestMethod]
    public void TheCopiedRootIsTheOverlaysMergedView()
    {
        using var f = new RootfsFixture();
        var lowers = Lowers(f);
        string merged = f.Directory("merged-view");
        f.Overlay(lowers, null, "true", merged, OverlayOptions);
        string copy = f.Directory("copy");

        LayerStackCopier.Copy(lowers, copy, privileged: true, IdMapping.Identity, IdMapping.Identity, CancellationToken.None);

        RootfsFixture.AssertSameTree(merged, copy);
        Assert.AreEqual(LibC.TryStatxTimes(Path.Combine(lowers[0], "same"))!.Value.MtimeNs, LibC.TryStatxTimes(Path.Combine(copy, "same"))!.Value.MtimeNs, "mtimes to the nanosecond");
    }

    [TestMethod]
    public void TheSnapshotDiffGivesTheEntriesTheUpperDirectoryGives()
    {
        using var f = new RootfsFixture();
        var lowers = Lowers(f);
        const string Commands = "echo new > created && echo more >> a && rm h2 && rm -r d && mkdir d && echo z > d/z && chmod 700 r "
            + "&& ln a a2 && ln -sf created s && chown 7:7 o && rm f/inside && rm r/new && printf X > same && touch -d @1000000000 same "
            + "&& rm x-attr && mkdir -p n/m && echo deep > n/m/deep && rm su && mkdir su && rm fifo";
        string upper = f.Directory("upper");
        f.Overlay(lowers, upper, Commands, f.Directory("after-overlay"), OverlayOptions);
        var expected = f.List(f.Diff(upper).Layer);

        string root = f.Directory("copy");
        LayerStackCopier.Copy(lowers, root, privileged: true, IdMapping.Identity, IdMapping.Identity, CancellationToken.None);
        var snapshot = RootSnapshot.Take(root, CancellationToken.None);
        RootfsFixture.Shell($"cd '{root}' && {Commands}");
        var diff = SnapshotDiff.WriteLayerAsync(root, snapshot, new UpperDiffOptions(), f.Store, CancellationToken.None).GetAwaiter().GetResult();
        var actual = f.List(diff.Layer);

        CollectionAssert.AreEqual(expected.Select(e => e.Name).ToList(), actual.Select(e => e.Name).ToList(),
            $"overlay [{string.Join(", ", expected.Select(e => e.Name))}]\ncopy [{string.Join(", ", actual.Select(e => e.Name))}]");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.AreEqual((expected[i].Mode, expected[i].Owner, expected[i].Size, expected[i].Target), (actual[i].Mode, actual[i].Owner, actual[i].Size, actual[i].Target), expected[i].Name);
        }
        var names = actual.Select(e => e.Name).ToList();
        CollectionAssert.IsSubsetOf(new[] { "d/", "d/.wh..wh..opq", "su/", "su/.wh..wh..opq", "same", ".wh.h2", "f/.wh.inside", "n/m/deep" }, names);
        Assert.IsFalse(names.Contains("h1"), "removing one name of a hard link does not change the other");
    }

    [TestMethod]
    public void AnUnchangedRootGivesTheEmptyLayer()
    {
        using var f = new RootfsFixture();
        string root = f.Directory("copy");
        LayerStackCopier.Copy(Lowers(f), root, privileged: true, IdMapping.Identity, IdMapping.Identity, CancellationToken.None);
        var snapshot = RootSnapshot.Take(root, CancellationToken.None);
        // A mount point the helper made and removed again changes only its directory's mtime.
        Directory.CreateDirectory(Path.Combine(root, "r", "proc"));
        Directory.Delete(Path.Combine(root, "r", "proc"));

        var diff = SnapshotDiff.WriteLayerAsync(root, snapshot, new UpperDiffOptions(), f.Store, CancellationToken.None).GetAwaiter().GetResult();

        Assert.AreEqual(0, diff.EntryCount);
        Assert.AreEqual(UpperDiff.EmptyTarDiffId, diff.Layer.DiffId.ToString());
    }

    [TestMethod]
    public void ADirectoryReplacedByASymlinkToAHostFolderBecomesTheLinkWithoutTheFolder()
    {
        using var f = new RootfsFixture();
        string host = f.Directory("host");
        RootfsFixture.Write(host, "x", "host-file");
        string root = f.Directory("copy");
        LayerStackCopier.Copy(Lowers(f), root, privileged: true, IdMapping.Identity, IdMapping.Identity, CancellationToken.None);
        var snapshot = RootSnapshot.Take(root, CancellationToken.None);
        Directory.Move(Path.Combine(root, "d"), Path.Combine(root, "d.moved"));
        File.CreateSymbolicLink(Path.Combine(root, "d"), host);

        var diff = SnapshotDiff.WriteLayerAsync(root, snapshot, new UpperDiffOptions(), f.Store, CancellationToken.None).GetAwaiter().GetResult();

        var entries = f.ReadEntries(diff.Layer);
        CollectionAssert.AreEqual(new[] { "d", "d.moved/", "d.moved/y" }, entries.Select(e => e.Name).ToArray());
        Assert.AreEqual(host, entries[0].LinkName);
    }
}
