using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// The metadata of every entry of a copy-fallback root, taken before the step's command runs, so
/// the diff afterwards knows what changed: path ('/'-separated, relative to the root) →
/// <see cref="SnapshotEntry"/>, and each directory's child names (for deletions). No content is
/// read or hashed: a file counts as changed when its type, mode, owner, size, mtime (ns), inode,
/// device numbers, symlink target or xattrs differ, when it gained a hard link, or when its ctime
/// moved while its link count stayed the same. ctime cannot be set back from user space, so a
/// write that keeps the size and restores the mtime (<c>touch -d</c>) is still seen; Docker's
/// vfs differ (size + mtime) would miss it. Memory: about 200 bytes per entry.
/// </summary>
internal sealed class RootSnapshot
{
    private readonly Dictionary<string, SnapshotEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public static RootSnapshot Take(string root, CancellationToken cancellationToken)
    {
        var snapshot = new RootSnapshot();
        snapshot.Add(Path.GetFullPath(root), "", cancellationToken);
        return snapshot;
    }

    public SnapshotEntry? this[string relative] => _entries.GetValueOrDefault(relative);

    /// <summary>The names the directory held (relative path, "" for the root); empty for anything else.</summary>
    public IReadOnlyList<string> ChildrenOf(string relative) => _children.TryGetValue(relative, out var names) ? names : [];

    public static SnapshotEntry Read(string path)
    {
        var m = LibC.Statx(path);
        var times = LibC.TryStatxTimes(path) ?? throw new FileNotFoundException($"'{path}' vanished.", path);
        return new SnapshotEntry(m.Kind, m.Permissions, m.Uid, m.Gid, m.Kind == UnixFileKind.Directory ? 0 : m.Size,
            times.MtimeNs, times.CtimeNs, times.BtimeNs, m.Inode, m.LinkCount, m.RdevMajor, m.RdevMinor,
            m.Kind == UnixFileKind.SymbolicLink ? new FileInfo(path).LinkTarget : null, XattrsHash(path));
    }

    private static string? XattrsHash(string path)
    {
        var xattrs = LibC.ReadXattrs(path);
        if (xattrs.Count == 0) return null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in xattrs)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\0" + value.Length + "\0"));
            hash.AppendData(value);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private void Add(string directory, string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        _children[prefix.TrimEnd('/')] = names;
        foreach (string path in Directory.EnumerateFileSystemEntries(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetFileName(path);
            names.Add(name);
            var entry = Read(path);
            _entries[prefix + name] = entry;
            if (entry.Kind == UnixFileKind.Directory) Add(path, prefix + name + "/", cancellationToken);
        }
    }
}
