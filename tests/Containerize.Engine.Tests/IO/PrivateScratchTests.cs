using Containerize.Engine.Context;
using Containerize.Engine.Copy;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Tests.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.IO;

/// <summary>
/// The temporary trees of a build under the temp folder (scratch folders, ADD's extracted archives)
/// are 0700 from the moment they exist: what is unpacked there as root, setuid programs and device
/// nodes, stays out of other users' reach.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class PrivateScratchTests
{
    private const int OwnerOnly = 0b111_000_000;

    [ClassInitialize]
    public static async Task CreateUser(TestContext _) => await OtherUser.EnsureAsync();

    [TestMethod]
    public void ScratchFoldersAreOnlyTheirOwners()
    {
        using var scratch = new ScratchDirectory("containerize-test");
        string loose = ScratchDirectory.CreatePrivate("ctz-test-");
        try
        {
            Assert.AreEqual(OwnerOnly, LibC.Statx(scratch.Path).Permissions);
            Assert.AreEqual(OwnerOnly, LibC.Statx(loose).Permissions);
            Assert.AreEqual(Path.GetTempPath(), Path.GetDirectoryName(scratch.Path) + "/");
        }
        finally
        {
            ScratchDirectory.DeleteTree(loose);
        }
    }

    [TestMethod]
    [DoNotParallelize] // AddArchiveTests counts the ctz-add-* folders
    public async Task AnArchiveAddExtractsAsRootOutOfOtherUsersReach()
    {
        using var work = new TempDirectory("ctz-private-add");
        string staging = Directory.CreateDirectory(work.Combine("staging")).FullName;
        string tool = Path.Combine(staging, "su-tool");
        File.WriteAllText(tool, "#!/bin/sh\n");
        LibC.Chmod(tool, 0b100_111_101_101);
        LibC.Mknod(Path.Combine(staging, "disk"), UnixFileKind.BlockDevice, 0b110_110_110, 7, 0);
        string archive = work.Combine("tools.tar");
        ExternalTool.RunChecked("tar", "-C", staging, "-cf", archive, "su-tool", "disk");

        var before = Directory.GetDirectories(Path.GetTempPath(), ArchiveUnpacker.TemporaryPrefix + "*").ToHashSet();
        var errors = new CopyErrors(null);
        var tree = new CopyTree(EmptyImageFileSystem.Instance, CopyOwner.Root, 0);
        using var unpacker = new ArchiveUnpacker(tree, "/opt", IgnorePatterns.Empty, new EntryStamp(null, null, null), errors);
        Assert.IsTrue(unpacker.TryUnpack(archive, "tools.tar", CancellationToken.None));

        string extracted = Directory.GetDirectories(Path.GetTempPath(), ArchiveUnpacker.TemporaryPrefix + "*")
            .Single(d => !before.Contains(d) && File.Exists(Path.Combine(d, "su-tool")));
        Assert.AreEqual(OwnerOnly, LibC.Statx(extracted).Permissions);
        Assert.AreEqual(0b100_111_101_101, LibC.Statx(Path.Combine(extracted, "su-tool")).Permissions, "the archive's setuid bit is kept");
        foreach (string inner in new[] { "su-tool", "disk" })
        {
            var stat = await OtherUser.StatAsync(Path.Combine(extracted, inner));
            StringAssert.Contains(stat.Output, "Permission denied", inner);
        }
    }
}
