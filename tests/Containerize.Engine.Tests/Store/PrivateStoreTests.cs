using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Builders;
using Containerize.Engine.Tests.Rootfs;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Store;

/// <summary>
/// The store's root is its user's alone: made 0700, a looser one made 0700 with warning CTZ3020,
/// another user's refused (CTZ3021), a shared folder refused (CTZ3022). Checked as root, with a
/// second local user standing for the other users of the machine.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class PrivateStoreTests
{
    private const int OwnerOnly = 0b111_000_000;
    private static uint s_otherUid;

    [ClassInitialize]
    public static async Task CreateUser(TestContext _) => s_otherUid = await OtherUser.EnsureAsync();

    private static int Mode(string path) => LibC.Statx(path).Permissions;

    [TestMethod]
    public void ANewStoreRootIsOnlyItsOwners()
    {
        using var dir = new TempDirectory("ctz-private-store");
        var log = new TextLog();
        var store = new BlobStore(dir.Combine("a", "store"), log);
        Assert.AreEqual(OwnerOnly, Mode(store.Root), "0700 from the start");
        Assert.AreEqual(0b111_101_101, Mode(dir.Combine("a")), "missing parents are made as usual");
        Assert.IsEmpty(log.Warnings);
    }

    [TestMethod]
    public async Task AnotherUserCannotReachWhatARootBuildUnpackedInTheStore()
    {
        using var f = new RootfsFixture();
        string source = f.Directory("src");
        string tool = RootfsFixture.Write(source, "usr/bin/su-tool", "#!/bin/sh\n");
        LibC.Chmod(tool, 0b100_111_101_101);
        LibC.Mknod(Path.Combine(source, "disk"), UnixFileKind.BlockDevice, 0b110_110_110, 7, 0);
        var layer = f.BuildLayer(source);
        string tree = await new UnpackedLayerStore(f.Store).GetOrUnpackAsync(layer, CancellationToken.None);
        Assert.AreEqual(0b100_111_101_101, Mode(Path.Combine(tree, "usr/bin/su-tool")), "the unpacked layer keeps its setuid bit");
        Assert.AreEqual(UnixFileKind.BlockDevice, LibC.Statx(Path.Combine(tree, "disk")).Kind);

        foreach (string inner in new[] { Path.Combine(tree, "usr/bin/su-tool"), Path.Combine(tree, "disk"), f.Store.Root + "/blobs" })
        {
            var stat = await OtherUser.StatAsync(inner);
            Assert.AreNotEqual(0, stat.ExitCode, $"{OtherUser.Name} reached {inner}: {stat.Output}");
            StringAssert.Contains(stat.Output, "Permission denied", inner);
        }
    }

    [TestMethod]
    public async Task ALooseStoreRootIsMadePrivateWithAWarning()
    {
        using var dir = new TempDirectory("ctz-loose-store");
        string root = dir.Combine("store");
        _ = new BlobStore(root);
        File.SetUnixFileMode(root, (UnixFileMode)0b111_111_101);
        Assert.AreEqual(0, (await OtherUser.StatAsync(Path.Combine(root, "blobs"))).ExitCode, "the other user reaches into the loose store");

        var log = new TextLog();
        _ = new BlobStore(root, log);

        Assert.AreEqual(OwnerOnly, Mode(root));
        var (code, message) = log.Warnings.Single();
        Assert.AreEqual(ErrorCodes.StoreMadePrivate, code);
        Assert.AreEqual(
            $"The image store '{root}' could be entered by other users (mode 0775), and the images unpacked in it may hold setuid programs "
            + "and device nodes they could use. Its mode is now 0700: only you can enter it.", message);
        Assert.AreNotEqual(0, (await OtherUser.StatAsync(Path.Combine(root, "blobs"))).ExitCode);

        var again = new TextLog();
        _ = new BlobStore(root, again);
        Assert.IsEmpty(again.Warnings, "a private store is not warned about");
    }

    [TestMethod]
    public void AStoreRootThatIsALinkOfYourOwnIsFollowedAndItsFolderMadePrivate()
    {
        using var dir = new TempDirectory("ctz-linked-store");
        string folder = Directory.CreateDirectory(dir.Combine("big-disk")).FullName;
        string link = dir.Combine("store");
        File.CreateSymbolicLink(link, folder);
        var log = new TextLog();

        var store = new BlobStore(link, log);

        Assert.AreEqual(link, store.Root);
        Assert.AreEqual(OwnerOnly, Mode(folder));
        Assert.IsTrue(Directory.Exists(Path.Combine(folder, "blobs", "sha256")));
        StringAssert.StartsWith(log.Warnings.Single().Message, $"The image store '{link}' (a link to '{folder}') could be entered by other users (mode 0755)");
    }

    [TestMethod]
    public void AStoreRootOfAnotherUserIsRefusedAndLeftAsItIs()
    {
        using var dir = new TempDirectory("ctz-foreign-store");
        string root = Directory.CreateDirectory(dir.Combine("store")).FullName;
        LibC.Lchown(root, s_otherUid, s_otherUid);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => new BlobStore(root));

        Assert.AreEqual(ErrorCodes.StoreNotOwned, e.Code);
        Assert.AreEqual(
            $"The image store '{root}' belongs to uid {s_otherUid}, but this build runs as uid 0: a store another user controls could hand this build "
            + $"altered layers, so it is not used. Set ContainerStorePath (or CONTAINERIZE_STORE) to a folder of your own, or build as uid {s_otherUid}.", e.Message);
        Assert.AreEqual(0b111_101_101, Mode(root));
        Assert.IsEmpty(Directory.GetFileSystemEntries(root));
    }

    [TestMethod]
    public void AStoreRootThatIsALinkOfAnotherUserIsNotFollowed()
    {
        using var dir = new TempDirectory("ctz-foreign-link");
        string folder = Directory.CreateDirectory(dir.Combine("elsewhere")).FullName;
        string link = dir.Combine("store");
        File.CreateSymbolicLink(link, folder);
        LibC.Lchown(link, s_otherUid, s_otherUid);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => new BlobStore(link));

        Assert.AreEqual(ErrorCodes.StoreNotOwned, e.Code);
        StringAssert.StartsWith(e.Message, $"The image store '{link}' is a symbolic link owned by uid {s_otherUid}, neither this build's user (uid 0) nor root");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder), "nothing is written where the link points");
        Assert.AreEqual(0b111_101_101, Mode(folder));
    }

    [TestMethod]
    public void ASharedFolderIsRefusedRatherThanLocked()
    {
        using var dir = new TempDirectory("ctz-shared-store");
        string shared = Directory.CreateDirectory(dir.Combine("scratch")).FullName;
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => new BlobStore(shared));

        Assert.AreEqual(ErrorCodes.StoreIsSharedFolder, e.Code);
        StringAssert.Contains(e.Message, $"'{shared}' is a folder other users rely on (mode 01777, sticky like /tmp)");
        StringAssert.Contains(e.Message, $"e.g. '{shared}/containerize'");
        Assert.AreEqual(0b1_111_111_111, Mode(shared));
    }
}
