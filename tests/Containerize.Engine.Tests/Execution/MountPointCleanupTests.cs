using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The removal of the helper's mount points after a real RUN, as root, against a step that swaps a
/// directory above a mount point for a symlink to a host folder (BuildKit CVE-2024-23652): only the
/// step's own tree may lose entries, for the overlay's upper directory and the copy fallback's root.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class MountPointCleanupTests
{
    /// <summary>Moves the bind target's top directory away and plants a link from its old name to <paramref name="hostFolder"/>.</summary>
    internal static string SwapForSymlinkScript(string hostFolder) => $"mv /a /a.moved && ln -s {hostFolder} /a && echo swapped";

    /// <summary>A host folder holding the mount point's path below the swapped directory (b/c), empty as a fresh mount point is.</summary>
    internal static string Canary(string parent)
    {
        string canary = Path.Combine(parent, "canary");
        Directory.CreateDirectory(Path.Combine(canary, "b", "c"));
        return canary;
    }

    [TestMethod]
    public async Task ASymlinkPlantedAboveABindTargetDoesNotLeadTheOverlayCleanupToTheHost()
    {
        using var f = await ContainerFixture.CreateAsync();
        string canary = Canary(Path.Combine(f.Work, ".."));
        string source = Directory.CreateDirectory(Path.Combine(f.Work, "..", "bind-src")).FullName;

        var (code, output) = await f.ShAsync(SwapForSymlinkScript(Path.GetFullPath(canary)), s => s with { Mounts = [ContainerMount.Bind(source, "/a/b/c")] });

        Assert.AreEqual(0, code, output);
        Assert.AreEqual("swapped", output);
        Assert.IsTrue(Directory.Exists(Path.Combine(canary, "b", "c")), "the cleanup removed the host folder the planted link points to");
        Assert.AreEqual(UnixFileKind.SymbolicLink, LibC.Statx(Path.Combine(f.Upper, "a")).Kind, "the step's link is its change");
    }

    [TestMethod]
    public async Task ASymlinkPlantedAboveABindTargetDoesNotLeadTheCopyFallbackCleanupToTheHost()
    {
        using var f = await ContainerFixture.CreateAsync();
        using var dir = new TempDirectory("ctz-cleanup");
        string root = dir.Combine("root");
        Directory.CreateDirectory(root);
        ExternalTool.RunChecked("cp", "-a", f.BaseLayer + "/.", root);
        string canary = Canary(dir.Path);
        string source = Directory.CreateDirectory(dir.Combine("bind-src")).FullName;

        var (code, output) = await f.ShAsync(SwapForSymlinkScript(canary),
            s => s with { LowerDirectoriesBottomFirst = [], RootDirectory = root, Mounts = [ContainerMount.Bind(source, "/a/b/c")] });

        Assert.AreEqual(0, code, output);
        Assert.AreEqual("swapped", output);
        Assert.IsTrue(Directory.Exists(Path.Combine(canary, "b", "c")), "the cleanup removed the host folder the planted link points to");
        Assert.AreEqual(UnixFileKind.SymbolicLink, LibC.Statx(Path.Combine(root, "a")).Kind);
    }

    [TestMethod]
    public async Task UntouchedMountPointsAreStillRemovedFromTheCopyFallbacksRoot()
    {
        using var f = await ContainerFixture.CreateAsync();
        using var dir = new TempDirectory("ctz-cleanup");
        string root = dir.Combine("root");
        Directory.CreateDirectory(root);
        ExternalTool.RunChecked("cp", "-a", f.BaseLayer + "/.", root);
        string before = string.Join('\n', Entries(root));
        string source = Directory.CreateDirectory(dir.Combine("bind-src")).FullName;

        var (code, output) = await f.ShAsync("test -d /a/b/c && echo mounted",
            s => s with { LowerDirectoriesBottomFirst = [], RootDirectory = root, Mounts = [ContainerMount.Bind(source, "/a/b/c"), ContainerMount.Tmpfs("/scratch/t")] });

        Assert.AreEqual(0, code, output);
        Assert.AreEqual("mounted", output);
        Assert.AreEqual(before, string.Join('\n', Entries(root)));
    }

    private static IEnumerable<string> Entries(string root) => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal);
}
