using Containerize.Engine.IO.Native;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Paths below a <see cref="ConfinedDirectory"/>, resolved with openat2 and, as on older kernels, component by component.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class ConfinedDirectoryTests
{
    /// <summary>root/{real/sub/file, link → outside, abs → /…/outside, file}, and outside/sub/file next to it.</summary>
    private static (TempDirectory Dir, string Root, string Outside) Tree()
    {
        var dir = new TempDirectory("ctz-confined");
        string root = dir.Combine("root"), outside = dir.Combine("outside");
        Directory.CreateDirectory(Path.Combine(root, "real", "sub"));
        File.WriteAllText(Path.Combine(root, "real", "sub", "file"), "inside");
        File.WriteAllText(Path.Combine(root, "file"), "top");
        Directory.CreateDirectory(Path.Combine(outside, "sub"));
        File.WriteAllText(Path.Combine(outside, "sub", "file"), "host");
        File.CreateSymbolicLink(Path.Combine(root, "link"), "../outside");
        File.CreateSymbolicLink(Path.Combine(root, "abs"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "real", "inner"), "sub");
        return (dir, root, outside);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "openat2")]
    [DataRow(false, DisplayName = "per component")]
    public void DirectoriesAreReachedOnlyWithoutSymlinks(bool openat2)
    {
        var (dir, root, _) = Tree();
        using (dir)
        using (var confined = ConfinedDirectory.TryOpen(root, openat2)!)
        {
            using (var sub = confined.TryOpenDirectory("real/sub")) Assert.AreEqual(UnixFileKind.RegularFile, sub?.TryStat("file")?.Kind);
            using (var self = confined.TryOpenDirectory("")) Assert.AreEqual(UnixFileKind.SymbolicLink, self?.TryStat("link")?.Kind);
            foreach (string path in new[] { "link", "link/sub", "abs/sub", "real/inner", "real/inner/x", "file", "file/x", "missing/sub", "../outside", "real/../real" })
            {
                Assert.IsNull(confined.TryOpenDirectory(path), path);
            }
        }
    }

    [TestMethod]
    [DataRow(true, DisplayName = "openat2")]
    [DataRow(false, DisplayName = "per component")]
    public void AFileIsReadOnlyWhenNoComponentIsASymlink(bool openat2)
    {
        var (dir, root, outside) = Tree();
        using (dir)
        using (var confined = ConfinedDirectory.TryOpen(root, openat2)!)
        {
            using (var reader = new StreamReader(confined.OpenRegularFile("real/sub/file"))) Assert.AreEqual("inside", reader.ReadToEnd());
            File.CreateSymbolicLink(Path.Combine(root, "file-link"), Path.Combine(outside, "sub", "file"));
            LibC.Mknod(Path.Combine(root, "fifo"), UnixFileKind.Fifo, 0b110_100_100, 0, 0);
            foreach (string path in new[] { "link/sub/file", "abs/sub/file", "real/inner/file", "file-link", "fifo", "real", "../outside/sub/file" })
            {
                Assert.ThrowsExactly<IOException>(() => confined.OpenRegularFile(path).Dispose(), path);
            }
        }
    }

    [TestMethod]
    public void RemovalAndMetadataStayInTheDirectoryAndDoNotFollowTheName()
    {
        var (dir, root, outside) = Tree();
        using (dir)
        using (var confined = ConfinedDirectory.TryOpen(root)!)
        {
            Assert.IsFalse(confined.TryRemove("real", directory: true), "not empty");
            Assert.IsTrue(confined.TryRemove("link", directory: false));
            Assert.IsTrue(Directory.Exists(outside), "unlinking a symlink removes the link");
            Assert.IsFalse(confined.TryRemove("link", directory: false), "gone");
            Assert.IsTrue(LibC.TrySetXattr(Path.Combine(root, "real"), "user.mark", "y"u8.ToArray()), "the temp folder's file system takes user xattrs");
            LibC.TrySetXattr(outside, "user.mark", "host"u8.ToArray());
            Assert.AreEqual("y", System.Text.Encoding.UTF8.GetString(confined.ReadXattrs("real")["user.mark"]));
            Assert.IsEmpty(confined.ReadXattrs("abs"), "the link's own xattrs, not its target's");
        }
        Assert.IsNull(ConfinedDirectory.TryOpen(Path.Combine(root, "missing")));
    }
}
