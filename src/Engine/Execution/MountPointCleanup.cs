using Containerize.Engine.IO.Native;
using Containerize.HelperProtocol;

namespace Containerize.Engine.Execution;

/// <summary>
/// Keeps the helper's mount points out of the step's diff. The helper lists in
/// <c>&lt;scratch&gt;/created</c> each mount point it had to create in the merged root ("c": /proc,
/// /dev, /sys, /etc/hosts, bind targets) and each directory whose copy-up that caused ("u": /etc when
/// it only existed in a lower layer). After the command, a created entry is removed from the upper
/// directory when it is still an empty directory or an empty file (the command could not write
/// below a mount); a copied-up directory is removed when it is empty, not opaque, and has the mode
/// and owner of the lower directory it came from, so the merged view is unchanged. With a root
/// directory (copy fallback) nothing is copied up, and created entries are removed from the root.
/// The step owned the tree: every path is resolved inside it without following a symlink
/// (<see cref="ConfinedDirectory"/>), and an entry whose directories the step moved or replaced
/// by a symlink is left alone (BuildKit CVE-2024-23652), as are the lower layers' symlinks.
/// </summary>
internal static class MountPointCleanup
{
    public static void Clean(ContainerSpec spec, string createdList)
    {
        if (!File.Exists(createdList)) return;
        var (created, copiedUp) = HelperCreatedList.Parse(File.ReadAllBytes(createdList));
        // The copy fallback's root holds them itself.
        using var upper = ConfinedDirectory.TryOpen(Path.GetFullPath(spec.RootDirectory ?? spec.UpperDirectory));
        if (upper is null) return;
        foreach (string path in created.OrderByDescending(p => p.Length))
        {
            IgnoringFailure(() => RemoveCreated(upper, path));
        }
        if (copiedUp.Count == 0) return;
        var lowersBottomFirst = spec.LowerDirectoriesBottomFirst.Select(l => ConfinedDirectory.TryOpen(Path.GetFullPath(l))).OfType<ConfinedDirectory>().ToList();
        try
        {
            foreach (string path in copiedUp.OrderByDescending(p => p.Length))
            {
                IgnoringFailure(() => RemoveCopiedUp(upper, lowersBottomFirst, path));
            }
        }
        finally
        {
            foreach (var lower in lowersBottomFirst) lower.Dispose();
        }
    }

    private static void RemoveCreated(ConfinedDirectory upper, string path)
    {
        var (parentPath, name) = ConfinedDirectory.SplitLast(path);
        using var parent = upper.TryOpenDirectory(parentPath);
        var meta = parent?.TryStat(name);
        // rmdir refuses a directory that is not empty.
        if (meta?.Kind == UnixFileKind.Directory) parent!.TryRemove(name, directory: true);
        else if (meta is { Kind: UnixFileKind.RegularFile, Size: 0 }) parent!.TryRemove(name, directory: false);
    }

    private static void RemoveCopiedUp(ConfinedDirectory upper, List<ConfinedDirectory> lowersBottomFirst, string path)
    {
        var (parentPath, name) = ConfinedDirectory.SplitLast(path);
        using var parent = upper.TryOpenDirectory(parentPath);
        if (parent?.TryStat(name) is not { Kind: UnixFileKind.Directory } meta) return;
        var xattrs = parent.ReadXattrs(name);
        if (xattrs.ContainsKey("trusted.overlay.opaque") || xattrs.ContainsKey("user.overlay.opaque")) return;
        FileMetadata? lower = null; // what the merged view showed: the topmost layer's entry
        foreach (var layer in lowersBottomFirst)
        {
            using var lowerParent = layer.TryOpenDirectory(parentPath);
            lower = lowerParent?.TryStat(name) ?? lower;
        }
        if (lower is not { Kind: UnixFileKind.Directory } l || l.Permissions != meta.Permissions || l.Uid != meta.Uid || l.Gid != meta.Gid) return;
        parent.TryRemove(name, directory: true);
    }

    private static void IgnoringFailure(Action remove)
    {
        try { remove(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
