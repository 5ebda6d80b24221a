using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Layers;

/// <summary>One application of a layer onto a directory (the state <see cref="LayerExtractor"/> needs while it reads the tar).</summary>
internal sealed class LayerExtraction
{
    private readonly string _root;
    private readonly ExtractOptions _options;
    private readonly RootScopedResolver _resolver;
    private readonly bool _isRoot = LibC.IsRoot;

    /// <summary>Real paths this layer wrote, with their ancestors: whiteouts only remove what lower layers wrote.</summary>
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>Directory modes and times are set last: writing children changes a directory's mtime, and a read-only directory could not take them.</summary>
    private readonly List<(string Path, TarEntry Entry)> _directories = new();

    public LayerExtraction(string root, ExtractOptions options)
    {
        _root = root.Length == 0 ? "/" : root;
        _options = options;
        _resolver = new RootScopedResolver(_root);
    }

    public void Run(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new LayerTarReader(tar);
        while (reader.ReadNext() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Apply(entry, reader, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw NotWritten(entry, e);
            }
        }
        FinishDirectories();
    }

    /// <summary>
    /// A name too long, or no space or permission where the layer is unpacked, is said as such;
    /// anything else the file system refuses (a missing link target, a parent that is not a
    /// directory) is the layer not fitting what is below it.
    /// </summary>
    private static ContainerizeException NotWritten(TarEntry entry, Exception e)
    {
        const int EPERM = 1, EACCES = 13, ENOSPC = 28, EROFS = 30, ENAMETOOLONG = 36, EDQUOT = 122;
        if (e is PathTooLongException || e.HResult == ENAMETOOLONG) return LayerNameLimits.TooLong(entry.Name, e);
        if (e is UnauthorizedAccessException || e.HResult is EPERM or EACCES or ENOSPC or EROFS or EDQUOT)
        {
            return new ContainerizeException(ErrorCodes.LayerEntryNotWritten,
                $"The layer entry '{LayerNameLimits.Shorten(entry.Name)}' cannot be written: {e.Message}. Check the space and permissions of the folder the layer is unpacked into (the image store or the build's scratch folder).", e);
        }
        return Corrupt(entry, $"cannot be written ({e.Message})");
    }

    private void Apply(TarEntry entry, LayerTarReader reader, CancellationToken cancellationToken)
    {
        var placement = _options.Lower?.Place(entry);
        var parts = placement is { } placed ? PlacedParts(placed.Path) : LayerPath.Clean(entry.Name, entry.Name);
        if (parts.Count == 0) return; // "./": the target directory itself keeps its own metadata
        LayerNameLimits.Check(entry, parts, _root, whiteout: _options.OverlayWhiteouts is not null || _options.ApplyWhiteouts);
        string name = parts[^1];
        var parentParts = parts.GetRange(0, parts.Count - 1);

        if (_options.OverlayWhiteouts is { } format && name.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            WriteOverlayWhiteout(entry, parentParts, name, format);
            return;
        }
        if (_options.ApplyWhiteouts && name.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(entry, parentParts, name);
            return;
        }

        string parent = _resolver.ResolveDirectory(parentParts, entry.Name, createMissing: true)!;
        string path = Path.Combine(parent, name);
        // ".wh.d" then "d/" in one layer: the new directory replaces the lower one instead of merging with it.
        bool replacesWhiteout = _options.OverlayWhiteouts is not null && entry.Type == TarEntryType.Directory && IsOverlayWhiteout(path);
        RemoveExisting(path, keepDirectory: entry.Type == TarEntryType.Directory);

        switch (entry.Type)
        {
            case TarEntryType.Directory:
                if (!Directory.Exists(path)) Directory.CreateDirectory(path);
                SetOwnerAndXattrs(path, entry);
                if (replacesWhiteout) SetOpaque(path, _options.OverlayWhiteouts!.Value);
                _directories.Add((path, entry));
                break;
            case TarEntryType.RegularFile:
                WriteFile(path, reader, cancellationToken);
                SetMetadata(path, entry);
                break;
            case TarEntryType.SymbolicLink:
                if (entry.LinkName.Length == 0) throw Corrupt(entry, "is a symlink with an empty target");
                File.CreateSymbolicLink(path, entry.LinkName);
                SetMetadata(path, entry);
                break;
            case TarEntryType.HardLink:
                LibC.Link(placement is { LinkTarget: { } target } placedLink ? PlacedHardLinkTarget(entry, target, placedLink.LinkTargetBelow) : HardLinkTarget(entry), path);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                if (!_isRoot) return; // only root may create device nodes; an unprivileged extraction goes on without them
                LibC.Mknod(path, entry.Type == TarEntryType.CharacterDevice ? UnixFileKind.CharacterDevice : UnixFileKind.BlockDevice,
                    entry.Mode, entry.DeviceMajor, entry.DeviceMinor);
                SetMetadata(path, entry);
                break;
            case TarEntryType.Fifo:
                LibC.Mknod(path, UnixFileKind.Fifo, entry.Mode, 0, 0);
                SetMetadata(path, entry);
                break;
        }
        MarkWritten(path);
    }

    private void ApplyWhiteout(TarEntry entry, List<string> parentParts, string name)
    {
        string? directory = _resolver.ResolveDirectory(parentParts, entry.Name, createMissing: false);
        if (directory is null) return;
        if (name == Whiteouts.Opaque)
        {
            RemoveLowerContent(directory);
            return;
        }
        if (name.StartsWith(Whiteouts.AufsMetaPrefix, StringComparison.Ordinal)) return;
        string victim = name[Whiteouts.Prefix.Length..];
        if (victim is "" or "." or "..") throw LayerPath.Unsafe(entry.Name, $"whiteout of '{victim}'");
        string path = Path.Combine(directory, victim);
        if (!_written.Contains(path)) DeleteEntry(path);
    }

    /// <summary>
    /// The layer is unpacked alone as an overlay lower directory: its whiteouts must keep hiding
    /// what the layers below have, so they become overlayfs whiteouts instead of deletions.
    /// </summary>
    private void WriteOverlayWhiteout(TarEntry entry, List<string> parentParts, string name, OverlayWhiteoutFormat format)
    {
        if (name.StartsWith(Whiteouts.AufsMetaPrefix, StringComparison.Ordinal) && name != Whiteouts.Opaque) return;
        string directory = _resolver.ResolveDirectory(parentParts, entry.Name, createMissing: true)!;
        if (name == Whiteouts.Opaque)
        {
            SetOpaque(directory, format);
            return;
        }
        string victim = name[Whiteouts.Prefix.Length..];
        if (victim is "" or "." or "..") throw LayerPath.Unsafe(entry.Name, $"whiteout of '{victim}'");
        string path = Path.Combine(directory, victim);
        switch (LibC.TryStatx(path)?.Kind)
        {
            case UnixFileKind.Directory:
                SetOpaque(path, format); // this layer wrote the directory anew: it replaces the lower one
                return;
            case null:
                // 0/0 is the overlay whiteout; the kernel lets anyone create it (Linux 5.8, "vfs: allow unprivileged whiteout creation").
                LibC.Mknod(path, UnixFileKind.CharacterDevice, 0, 0, 0);
                return;
            default:
                return; // a file this layer wrote at that name hides the lower entry by itself
        }
    }

    private static bool IsOverlayWhiteout(string path) =>
        LibC.TryStatx(path) is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 0, RdevMinor: 0 };

    private static void SetOpaque(string directory, OverlayWhiteoutFormat format)
    {
        string name = OverlayXattrs.Opaque(format);
        if (!LibC.TrySetXattr(directory, name, "y"u8.ToArray()))
        {
            throw new ContainerizeException(ErrorCodes.OverlayXattrUnsupported,
                $"The xattr {name} cannot be set on '{directory}', so a replaced directory of the layer cannot be marked opaque for overlayfs. "
                + "Keep the image store on a file system with extended attributes (ext4, xfs, btrfs) and, for trusted.* attributes, build as root.");
        }
    }

    /// <summary>Opaque directory: everything below it that this layer did not write goes.</summary>
    private void RemoveLowerContent(string directory)
    {
        foreach (string child in Directory.EnumerateFileSystemEntries(directory).ToList())
        {
            if (!_written.Contains(child)) DeleteEntry(child);
            else if (LibC.TryStatx(child) is { Kind: UnixFileKind.Directory }) RemoveLowerContent(child);
        }
    }

    private static void RemoveExisting(string path, bool keepDirectory)
    {
        if (LibC.TryStatx(path) is not { } existing) return;
        if (keepDirectory && existing.Kind == UnixFileKind.Directory) return;
        DeleteEntry(path);
    }

    /// <summary>Deletes a file, symlink (not its target) or whole directory tree.</summary>
    private static void DeleteEntry(string path)
    {
        switch (LibC.TryStatx(path)?.Kind)
        {
            case null:
                return;
            case UnixFileKind.Directory:
                Directory.Delete(path, recursive: true);
                return;
            default:
                File.Delete(path);
                return;
        }
    }

    private static void WriteFile(string path, LayerTarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            // CreateNew (O_EXCL) never follows a symlink that might have appeared at the path.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            reader.CopyContentTo(file, cancellationToken);
        }
        catch
        {
            try { File.Delete(path); } catch (IOException) { }
            throw;
        }
    }

    private string HardLinkTarget(TarEntry entry)
    {
        List<string> parts;
        try
        {
            parts = LayerPath.Clean(entry.LinkName, entry.Name);
        }
        catch (ContainerizeException)
        {
            throw LayerPath.Unsafe(entry.Name, $"it is a hard link to '{entry.LinkName}', outside the image root");
        }
        if (parts.Count == 0) throw Corrupt(entry, "is a hard link to the root directory");
        string? parent = _resolver.ResolveDirectory(parts.GetRange(0, parts.Count - 1), entry.Name, createMissing: false);
        string? target = parent is null ? null : Path.Combine(parent, parts[^1]);
        return (target is null ? null : LibC.TryStatx(target)) switch
        {
            null => throw Corrupt(entry, $"is a hard link to '{entry.LinkName}', which is not in the layer or below it"),
            { Kind: UnixFileKind.Directory } => throw Corrupt(entry, $"is a hard link to the directory '{entry.LinkName}'"),
            _ => target!,
        };
    }

    private static List<string> PlacedParts(string path) => path.Length == 0 ? [] : [.. path.Split('/')];

    /// <summary>
    /// A hard link's target as placed through the layers below: a file a lower layer holds is first
    /// copied into this layer, with its owner, mode, xattrs and mtime (overlay would copy it up).
    /// </summary>
    private string PlacedHardLinkTarget(TarEntry entry, string target, string? below)
    {
        var parts = PlacedParts(target);
        string parent = _resolver.ResolveDirectory(parts.GetRange(0, parts.Count - 1), entry.Name, createMissing: true)!;
        string path = Path.Combine(parent, parts[^1]);
        if (below is null) return path;
        var metadata = LibC.Statx(below);
        RemoveExisting(path, keepDirectory: false);
        switch (metadata.Kind)
        {
            case UnixFileKind.RegularFile:
                File.Copy(below, path);
                break;
            case UnixFileKind.SymbolicLink:
                File.CreateSymbolicLink(path, new FileInfo(below).LinkTarget ?? "");
                break;
            default:
                throw Corrupt(entry, $"is a hard link to '{entry.LinkName}', a {metadata.Kind} of a layer below, which cannot be linked to from another layer");
        }
        foreach (var (name, value) in LibC.ReadXattrs(below)) LibC.TrySetXattr(path, name, value);
        if (_isRoot) LibC.Lchown(path, metadata.Uid, metadata.Gid);
        if (metadata.Kind != UnixFileKind.SymbolicLink) LibC.Chmod(path, metadata.Permissions);
        if (LibC.TryStatxTimes(below) is { } times) LibC.SetModificationTimeNs(path, times.MtimeNs);
        MarkWritten(path);
        return path;
    }

    private void SetOwnerAndXattrs(string path, TarEntry entry)
    {
        if (_options.PreserveOwnership && _isRoot) LibC.Lchown(path, entry.Uid, entry.Gid);
        if (entry.Xattrs is { } xattrs)
        {
            // Best effort, like tar: trusted.* and security.* need privileges, some file systems have no xattrs.
            foreach (var (name, value) in xattrs)
            {
                LibC.TrySetXattr(path, _options.OverlayWhiteouts is null ? name : OverlayXattrs.Escape(name), value);
            }
        }
    }

    private void SetMetadata(string path, TarEntry entry)
    {
        SetOwnerAndXattrs(path, entry);
        if (entry.Type != TarEntryType.SymbolicLink) LibC.Chmod(path, entry.Mode); // after chown, which clears setuid
        LibC.SetModificationTime(path, entry.MtimeSeconds);
    }

    private void MarkWritten(string path)
    {
        while (path.Length > _root.Length && _written.Add(path)) path = Path.GetDirectoryName(path)!;
    }

    private void FinishDirectories()
    {
        for (int i = _directories.Count - 1; i >= 0; i--)
        {
            var (path, entry) = _directories[i];
            // A later entry may have replaced the directory or one of its parents with a symlink; never chmod through it.
            try
            {
                if (!IsRealDirectoryBelowRoot(path)) continue;
                LibC.Chmod(path, entry.Mode);
                LibC.SetModificationTime(path, entry.MtimeSeconds);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw NotWritten(entry, e);
            }
        }
    }

    private bool IsRealDirectoryBelowRoot(string path)
    {
        for (string? current = path; current is not null && current.Length > _root.Length; current = Path.GetDirectoryName(current))
        {
            if (LibC.TryStatx(current) is not { Kind: UnixFileKind.Directory }) return false;
        }
        return true;
    }

    private static ContainerizeException Corrupt(TarEntry entry, string problem) =>
        new(ErrorCodes.CorruptLayer, $"The layer entry '{entry.Name}' {problem}. The layer is corrupt or does not fit on the layers below it.");
}
