using System.Text;
using Containerize.Engine.Layers.Native;

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
/// </summary>
internal static class MountPointCleanup
{
    public static void Clean(ContainerSpec spec, string createdList)
    {
        if (!File.Exists(createdList)) return;
        string[] parts = Encoding.UTF8.GetString(File.ReadAllBytes(createdList)).Split('\0');
        var created = new List<string>();
        var copiedUp = new List<string>();
        for (int i = 0; i + 1 < parts.Length; i += 2)
        {
            (parts[i] == "c" ? created : copiedUp).Add(parts[i + 1]);
        }
        string upper = Path.GetFullPath(spec.RootDirectory ?? spec.UpperDirectory); // the copy fallback's root holds them itself
        foreach (string path in created.OrderByDescending(p => p.Length))
        {
            string full = upper + path;
            var meta = LibC.TryStatx(full);
            try
            {
                if (meta?.Kind == UnixFileKind.Directory && IsEmptyDirectory(full)) Directory.Delete(full);
                else if (meta?.Kind == UnixFileKind.RegularFile && meta.Value.Size == 0) File.Delete(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        foreach (string path in copiedUp.OrderByDescending(p => p.Length))
        {
            string full = upper + path;
            var meta = LibC.TryStatx(full);
            if (meta?.Kind != UnixFileKind.Directory || !IsEmptyDirectory(full)) continue;
            var xattrs = LibC.ReadXattrs(full);
            if (xattrs.ContainsKey("trusted.overlay.opaque") || xattrs.ContainsKey("user.overlay.opaque")) continue;
            FileMetadata? lower = null;
            for (int i = spec.LowerDirectories.Count - 1; i >= 0 && lower is null; i--)
            {
                lower = LibC.TryStatx(Path.GetFullPath(spec.LowerDirectories[i]) + path);
            }
            if (lower is not { Kind: UnixFileKind.Directory } l || l.Permissions != meta.Value.Permissions || l.Uid != meta.Value.Uid || l.Gid != meta.Value.Gid) continue;
            try { Directory.Delete(full); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static bool IsEmptyDirectory(string path) => !Directory.EnumerateFileSystemEntries(path).Any();
}
