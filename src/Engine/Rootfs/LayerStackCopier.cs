using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// The copy fallback's rootfs: the unpacked layers (overlay lower directories, bottom first) applied
/// one after the other into one plain directory, as overlay would show them merged. In a layer a
/// 0/0 character device is a whiteout (the entry below is removed, the device is not copied), a
/// directory with <c>trusted.overlay.opaque=y</c> or <c>user.overlay.opaque=y</c> first loses every
/// child the layers below gave it; any other entry replaces what was there, a directory merges
/// with a directory. Overlay-private xattrs are not copied (escaped ones are unescaped).
/// Regular files are copied with <see cref="File.Copy(string, string)"/> (reflinks where the file
/// system has them); names of one inode within a layer stay hard links.
///
/// As root, owners, modes, xattrs, devices and mtimes (to the nanosecond) are kept exactly. As an
/// ordinary user the copy is made as the user (container root), directories keep owner rwx while
/// the copy runs, and every entry whose owner, mode or capability is not what the layers say is
/// returned as a record for <see cref="UserNamespaceFiles.ApplyOwnersAsync"/>; device nodes are left
/// out, as in unprivileged unpacks, and a lower entry the user cannot read throws
/// <see cref="UnauthorizedAccessException"/> (the caller reports <see cref="ErrorCodes.RootfsCopyFailed"/>).
/// </summary>
internal sealed class LayerStackCopier
{
    private const string TrustedOverlay = "trusted.overlay.";
    private const string UserOverlay = "user.overlay.";
    private const string Capability = "security.capability";
    private const int OwnerRwx = 0b111_000_000;

    private readonly bool _privileged;
    private readonly IdMapping _uids;
    private readonly IdMapping _gids;
    private readonly Dictionary<string, ContainerFileOwner> _owners = new(StringComparer.Ordinal);
    private Dictionary<(ulong Device, ulong Inode), string> _firstNameOfInode = new();

    private LayerStackCopier(bool privileged, IdMapping uids, IdMapping gids)
    {
        _privileged = privileged;
        _uids = uids;
        _gids = gids;
    }

    /// <summary>
    /// Applies <paramref name="lowersBottomFirst"/> into the empty directory <paramref name="target"/>
    /// and returns, for an unprivileged copy, the owners still to apply in the user namespace.
    /// </summary>
    public static IReadOnlyList<ContainerFileOwner> Copy(
        IReadOnlyList<string> lowersBottomFirst, string target, bool privileged, IdMapping uids, IdMapping gids, CancellationToken cancellationToken)
    {
        var copier = new LayerStackCopier(privileged, uids, gids);
        string root = Path.GetFullPath(target);
        foreach (string lower in lowersBottomFirst)
        {
            copier._firstNameOfInode = new();
            copier.ApplyDirectory(Path.GetFullPath(lower), root, "", cancellationToken);
        }
        return copier._owners.Values.ToList();
    }

    private void ApplyDirectory(string source, string target, string prefix, CancellationToken cancellationToken)
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetFileName(path);
            string destination = Path.Combine(target, name);
            string relative = prefix + name;
            var metadata = LibC.Statx(path);
            var existing = LibC.TryStatx(destination);
            if (metadata is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 0, RdevMinor: 0 })
            {
                if (existing is not null) Remove(destination, relative, existing.Value);
                continue;
            }
            if (metadata.Kind == UnixFileKind.Socket) continue;
            var xattrs = LibC.ReadXattrs(path);
            if (metadata.Kind == UnixFileKind.Directory)
            {
                if (existing is { Kind: UnixFileKind.Directory })
                {
                    if (IsOpaque(xattrs)) ClearDirectory(destination, relative);
                }
                else
                {
                    if (existing is not null) Remove(destination, relative, existing.Value);
                    Directory.CreateDirectory(destination);
                }
                SetMetadata(path, destination, relative, metadata, xattrs);
                ApplyDirectory(path, destination, relative + "/", cancellationToken);
                SetTime(path, destination);
                continue;
            }
            if (existing is not null) Remove(destination, relative, existing.Value);
            if (!Create(path, destination, relative, metadata)) continue;
            if (metadata.Kind == UnixFileKind.RegularFile && metadata.LinkCount > 1 && _firstNameOfInode.ContainsKey((metadata.Device, metadata.Inode))
                && _firstNameOfInode[(metadata.Device, metadata.Inode)] != destination)
            {
                continue; // a hard link shares the metadata of its first name
            }
            SetMetadata(path, destination, relative, metadata, xattrs);
            SetTime(path, destination);
        }
    }

    /// <summary>Creates the entry (without its metadata); false when it is left out.</summary>
    private bool Create(string source, string destination, string relative, FileMetadata metadata)
    {
        try
        {
            switch (metadata.Kind)
            {
                case UnixFileKind.RegularFile:
                    if (metadata.LinkCount > 1)
                    {
                        if (_firstNameOfInode.TryGetValue((metadata.Device, metadata.Inode), out string? first))
                        {
                            LibC.Link(first, destination);
                            return true;
                        }
                        _firstNameOfInode[(metadata.Device, metadata.Inode)] = destination;
                    }
                    File.Copy(source, destination);
                    return true;
                case UnixFileKind.SymbolicLink:
                    File.CreateSymbolicLink(destination, new FileInfo(source).LinkTarget ?? "");
                    return true;
                case UnixFileKind.Fifo:
                    LibC.Mknod(destination, UnixFileKind.Fifo, metadata.Permissions, 0, 0);
                    return true;
                case UnixFileKind.CharacterDevice or UnixFileKind.BlockDevice:
                    if (!_privileged) return false;
                    LibC.Mknod(destination, metadata.Kind, metadata.Permissions, metadata.RdevMajor, metadata.RdevMinor);
                    return true;
                default:
                    return false;
            }
        }
        catch (UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"'/{relative}' cannot be read.");
        }
    }

    private void SetMetadata(string source, string destination, string relative, FileMetadata metadata, SortedDictionary<string, byte[]> xattrs)
    {
        bool symlink = metadata.Kind == UnixFileKind.SymbolicLink;
        byte[]? capability = null;
        foreach (var (name, value) in xattrs)
        {
            string? imageName = ImageXattr(name);
            if (imageName is null) continue;
            if (!LibC.TrySetXattr(destination, imageName, value) && imageName == Capability) capability = value;
        }
        if (_privileged)
        {
            LibC.Lchown(destination, metadata.Uid, metadata.Gid);
            if (!symlink) LibC.Chmod(destination, metadata.Permissions);
            return;
        }
        int mode = metadata.Permissions;
        int onDisk = metadata.Kind == UnixFileKind.Directory ? mode | OwnerRwx : mode;
        if (!symlink) LibC.Chmod(destination, onDisk);
        long uid = _uids.ToContainer(metadata.Uid, "uid", source);
        long gid = _gids.ToContainer(metadata.Gid, "gid", source);
        if (uid != 0 || gid != 0 || onDisk != mode || capability is not null)
        {
            _owners[relative] = new ContainerFileOwner(relative, uid, gid, mode, capability);
        }
        else
        {
            _owners.Remove(relative);
        }
    }

    private static void SetTime(string source, string destination)
    {
        if (LibC.TryStatxTimes(source) is { } times) LibC.SetModificationTimeNs(destination, times.MtimeNs);
    }

    private void Remove(string destination, string relative, FileMetadata existing)
    {
        if (existing.Kind == UnixFileKind.Directory)
        {
            ClearDirectory(destination, relative);
            Directory.Delete(destination);
        }
        else
        {
            File.Delete(destination);
        }
        _owners.Remove(relative);
    }

    private void ClearDirectory(string directory, string relative)
    {
        foreach (string child in Directory.EnumerateFileSystemEntries(directory).ToList())
        {
            var metadata = LibC.Statx(child);
            if (metadata.Kind == UnixFileKind.Directory) Directory.Delete(child, recursive: true);
            else File.Delete(child);
        }
        string prefix = relative + "/";
        foreach (string key in _owners.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) _owners.Remove(key);
    }

    private static bool IsOpaque(SortedDictionary<string, byte[]> xattrs) =>
        (xattrs.TryGetValue(TrustedOverlay + "opaque", out byte[]? t) && t is [(byte)'y'])
        || (xattrs.TryGetValue(UserOverlay + "opaque", out byte[]? u) && u is [(byte)'y']);

    /// <summary>The xattr an image entry has for one of its unpacked lower's xattrs; null for overlay's own.</summary>
    private static string? ImageXattr(string name)
    {
        string? space = name.StartsWith(TrustedOverlay, StringComparison.Ordinal) ? TrustedOverlay
            : name.StartsWith(UserOverlay, StringComparison.Ordinal) ? UserOverlay : null;
        if (space is null) return name;
        string key = name[space.Length..];
        return key.StartsWith("overlay.", StringComparison.Ordinal) ? space + key["overlay.".Length..] : null;
    }
}
