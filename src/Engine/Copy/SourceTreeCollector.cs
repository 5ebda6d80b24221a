using Containerize.Engine.Context;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;

namespace Containerize.Engine.Copy;

/// <summary>How copied entries are stamped: owner (or the one on disk), --chmod, and time clamping.</summary>
internal sealed record EntryStamp(CopyOwner? Owner, CopyMode? Mode, long? ClampSeconds);

/// <summary>
/// Adds host files and directory trees to a <see cref="CopyTree"/>. Symlinks below a source are
/// copied as symlinks, never followed. Entries the .dockerignore filter hides and entries matching
/// --exclude (relative to the directory being copied) are skipped.
/// </summary>
internal sealed class SourceTreeCollector(ICopyEntrySink tree, IgnorePatterns? visibilityFilter, IgnorePatterns excludes, EntryStamp stamp)
{
    /// <summary>Adds one entry (file, symlink, device, or a directory's own metadata without its contents).</summary>
    public void AddEntry(string hostPath, FileMetadata metadata, string imagePath)
    {
        if (ToEntry(hostPath, metadata) is { } entry) tree.Add(imagePath, entry);
    }

    /// <summary>Adds a directory's contents below <paramref name="imagePath"/>, recursively.</summary>
    /// <param name="rootRelative">The directory's path relative to the source root, for the visibility filter.</param>
    /// <param name="excludeRelative">The directory's path relative to the copied source, for --exclude ("" for the source itself).</param>
    public void AddContents(string hostDirectory, string rootRelative, string excludeRelative, string imagePath, CancellationToken cancellationToken)
    {
        var names = Directory.EnumerateFileSystemEntries(hostDirectory).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string hostPath = hostDirectory + "/" + name;
            if (LibC.TryStatx(hostPath) is not { } metadata || metadata.Kind == UnixFileKind.Socket) continue;
            bool isDirectory = metadata.Kind == UnixFileKind.Directory;
            string relative = Join(rootRelative, name);
            string excludeRel = Join(excludeRelative, name);
            if (visibilityFilter is not null && IsHidden(visibilityFilter, relative, isDirectory)) continue;
            if (IsHidden(excludes, excludeRel, isDirectory)) continue;
            string target = imagePath.TrimEnd('/') + "/" + name;
            AddEntry(hostPath, metadata, target);
            if (isDirectory) AddContents(hostPath, relative, excludeRel, target, cancellationToken);
        }
    }

    /// <summary>Whether the top-level source itself is excluded by --exclude (matched by its name).</summary>
    public bool IsExcluded(string name, bool isDirectory) => name.Length > 0 && IsHidden(excludes, name, isDirectory);

    private static bool IsHidden(IgnorePatterns patterns, string relative, bool isDirectory) =>
        patterns.Matches(relative) && (!isDirectory || patterns.CanSkipDirectory(relative));

    private CopyEntry? ToEntry(string hostPath, FileMetadata metadata)
    {
        bool isDirectory = metadata.Kind == UnixFileKind.Directory;
        int mode = metadata.Permissions;
        if (stamp.Mode is { } chmod && metadata.Kind != UnixFileKind.SymbolicLink) mode = chmod.Apply(mode, isDirectory);
        var header = new TarEntry
        {
            Name = "",
            Type = TarEntryType.RegularFile,
            Mode = mode,
            Uid = stamp.Owner?.Uid ?? metadata.Uid,
            Gid = stamp.Owner?.Gid ?? metadata.Gid,
            MtimeSeconds = stamp.ClampSeconds is { } clamp ? Math.Min(clamp, metadata.MtimeSeconds) : metadata.MtimeSeconds,
            Xattrs = Xattrs(hostPath),
        };
        return metadata.Kind switch
        {
            UnixFileKind.RegularFile => new CopyEntry(header with { Size = metadata.Size }, hostPath,
                Inode: metadata.LinkCount > 1 ? (metadata.Device, metadata.Inode) : null),
            UnixFileKind.Directory => new CopyEntry(header with { Type = TarEntryType.Directory }),
            UnixFileKind.SymbolicLink => new CopyEntry(header with { Type = TarEntryType.SymbolicLink, LinkName = new FileInfo(hostPath).LinkTarget ?? "" }),
            UnixFileKind.CharacterDevice or UnixFileKind.BlockDevice => new CopyEntry(header with
            {
                Type = metadata.Kind == UnixFileKind.CharacterDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice,
                DeviceMajor = metadata.RdevMajor,
                DeviceMinor = metadata.RdevMinor,
            }),
            UnixFileKind.Fifo => new CopyEntry(header with { Type = TarEntryType.Fifo }),
            _ => null,
        };
    }

    /// <summary>Extended attributes travel with the file (as BuildKit copies them), except the build machine's SELinux label.</summary>
    private static SortedDictionary<string, byte[]>? Xattrs(string hostPath)
    {
        var xattrs = LibC.ReadXattrs(hostPath);
        xattrs.Remove("security.selinux");
        return xattrs.Count > 0 ? xattrs : null;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "/" + name;
}
