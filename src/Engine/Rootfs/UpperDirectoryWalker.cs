using System.Buffers.Binary;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Turns an overlayfs upper directory into OCI layer entries, sorted like every other layer
/// (full names in UTF-8 byte order, directories ending with '/'): a 0/0 character device becomes
/// a <c>.wh.&lt;name&gt;</c> whiteout, an opaque directory is followed by its <c>.wh..wh..opq</c>,
/// overlay-private xattrs are dropped (escaped ones unescaped) and host owners are mapped back to
/// the container's. Everything else (files, hard links, symlinks, devices, FIFOs, xattrs such as
/// security.capability) is read the way <see cref="LayerSourceWalker"/> reads a directory.
/// </summary>
internal sealed class UpperDirectoryWalker
{
    private const string TrustedOverlay = "trusted.overlay.";
    private const string UserOverlay = "user.overlay.";
    private const string Escape = "overlay.";
    private const string Capability = "security.capability";

    private readonly UpperDiffOptions _options;
    private readonly LayerSourceWalker _entries;
    private readonly long _timestamp;
    private readonly HashSet<string> _excluded;

    public UpperDirectoryWalker(UpperDiffOptions options)
    {
        _options = options;
        _entries = new LayerSourceWalker(options.Layer with { Uid = null, Gid = null, DestinationRoot = "/" });
        _timestamp = options.Layer.Timestamp.ToUnixTimeSeconds();
        _excluded = new HashSet<string>(options.ExcludedPaths.Select(p => p.Trim('/')), StringComparer.Ordinal);
    }

    public IEnumerable<LayerSourceEntry> Walk(string upperDirectory, CancellationToken cancellationToken) =>
        WalkDirectory(Path.GetFullPath(upperDirectory), "", cancellationToken);

    private IEnumerable<LayerSourceEntry> WalkDirectory(string directory, string namePrefix, CancellationToken cancellationToken)
    {
        var children = new List<(string Name, string Path, FileMetadata Metadata, bool Whiteout)>();
        foreach (string path in Directory.EnumerateFileSystemEntries(directory))
        {
            string fileName = Path.GetFileName(path);
            if (_excluded.Contains(namePrefix + fileName)) continue;
            var metadata = FileMetadata.Read(path);
            if (metadata.Kind == UnixFileKind.Socket) continue; // sockets cannot travel in a tar; docker skips them too
            // Overlay links all whiteouts of a mount to one inode: test for it before hard links are looked at.
            bool whiteout = metadata is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 0, RdevMinor: 0 };
            string name = whiteout ? namePrefix + Whiteouts.Prefix + fileName
                : namePrefix + fileName + (metadata.Kind == UnixFileKind.Directory ? "/" : "");
            children.Add((name, path, metadata, whiteout));
        }
        children.Sort((a, b) => Utf8OrdinalComparer.Instance.Compare(a.Name, b.Name));

        foreach (var (name, path, metadata, whiteout) in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (whiteout)
            {
                yield return Marker(name, metadata.MtimeSeconds);
                continue;
            }
            yield return ContainerEntry(name, path, metadata, out bool opaque);
            if (metadata.Kind != UnixFileKind.Directory) continue;
            // Right after its directory, before any child, as containerd's and BuildKit's differs write it.
            if (opaque) yield return Marker(name + Whiteouts.Opaque, metadata.MtimeSeconds);
            foreach (var entry in WalkDirectory(path, name, cancellationToken)) yield return entry;
        }
    }

    /// <summary>
    /// The layer entry of one entry of the tree as the container sees it: owners mapped back (or
    /// taken from <see cref="UpperDiffOptions.Owners"/>), overlay xattrs dropped, the capability's
    /// root mapped; <paramref name="opaque"/> tells whether overlay marked the directory opaque.
    /// Hard links are found among the entries given to the same walker.
    /// </summary>
    internal LayerSourceEntry ContainerEntry(string name, string path, FileMetadata metadata, out bool opaque)
    {
        var source = _entries.ToEntry(name, path, metadata);
        var xattrs = MapCapabilityRoot(ImageXattrs(source.Entry.Xattrs, path, out opaque), path);
        if (_options.Owners.TryGetValue(name.TrimEnd('/'), out var owner))
        {
            // Handed to the user before the diff: the recorded facts are the container's.
            return source with
            {
                Entry = source.Entry with
                {
                    Uid = owner.Uid,
                    Gid = owner.Gid,
                    Mode = metadata.Kind == UnixFileKind.SymbolicLink ? source.Entry.Mode : owner.Mode,
                    Xattrs = WithCapability(xattrs, owner.Capability),
                },
            };
        }
        return source with
        {
            Entry = source.Entry with
            {
                Uid = _options.Uids.ToContainer(source.Entry.Uid, "uid", path),
                Gid = _options.Gids.ToContainer(source.Entry.Gid, "gid", path),
                Xattrs = xattrs,
            },
        };
    }

    /// <summary>An OCI whiteout: an empty regular file, mode 0, owned by 0:0.</summary>
    internal LayerSourceEntry Marker(string name, long mtime) => new(new TarEntry
    {
        Name = name,
        Type = TarEntryType.RegularFile,
        MtimeSeconds = _options.Layer.TimestampMode == TimestampMode.Fixed ? _timestamp : Math.Min(mtime, _timestamp),
    }, null);

    /// <summary>A capability read inside the namespace is the container's view already (revision 2 for its root).</summary>
    private static IReadOnlyDictionary<string, byte[]>? WithCapability(IReadOnlyDictionary<string, byte[]>? xattrs, byte[]? capability)
    {
        if (capability is null) return xattrs;
        return new SortedDictionary<string, byte[]>(xattrs?.ToDictionary() ?? [], StringComparer.Ordinal) { [Capability] = capability };
    }

    /// <summary>
    /// A file capability set inside a user namespace is stored as VFS_CAP_REVISION_3 with the host
    /// uid of the namespace's root (kernel commit 8db6c34f1dbc, "Introduce v3 namespaced file
    /// capabilities"): in the image it must belong to the container's root again, as the plain
    /// revision 2 a root build writes, or <c>setcap cap_net_raw+ep /bin/ping</c> would not work in
    /// any container run from the image.
    /// </summary>
    private IReadOnlyDictionary<string, byte[]>? MapCapabilityRoot(IReadOnlyDictionary<string, byte[]>? xattrs, string path)
    {
        const uint RevisionMask = 0xFF000000, Revision2 = 0x02000000, Revision3 = 0x03000000;
        if (_options.Uids.IsIdentity || xattrs is null || !xattrs.TryGetValue(Capability, out byte[]? value) || value.Length != 24) return xattrs;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(value);
        if ((magic & RevisionMask) != Revision3) return xattrs;
        long root = _options.Uids.ToContainer(BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(20)), "uid", path);
        byte[] mapped;
        if (root == 0)
        {
            mapped = value[..20];
            BinaryPrimitives.WriteUInt32LittleEndian(mapped, (magic & ~RevisionMask) | Revision2);
        }
        else
        {
            mapped = (byte[])value.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(mapped.AsSpan(20), (uint)root);
        }
        return new SortedDictionary<string, byte[]>(xattrs.ToDictionary(), StringComparer.Ordinal) { [Capability] = mapped };
    }

    /// <summary>
    /// The xattrs the image sees. Overlay keeps its own state in <c>trusted.overlay.*</c> (or
    /// <c>user.overlay.*</c> with userxattr) and stores an xattr of that name set by the command
    /// escaped as <c>overlay.overlay.*</c> (kernel overlayfs.rst, "Nesting overlayfs mounts").
    /// </summary>
    private static IReadOnlyDictionary<string, byte[]>? ImageXattrs(IReadOnlyDictionary<string, byte[]>? xattrs, string path, out bool opaque)
    {
        opaque = false;
        if (xattrs is null) return null;
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in xattrs)
        {
            string? space = name.StartsWith(TrustedOverlay, StringComparison.Ordinal) ? TrustedOverlay
                : name.StartsWith(UserOverlay, StringComparison.Ordinal) ? UserOverlay : null;
            if (space is null)
            {
                result[name] = value;
                continue;
            }
            string key = name[space.Length..];
            if (key.StartsWith(Escape, StringComparison.Ordinal))
            {
                result[space + key[Escape.Length..]] = value;
            }
            else if (key == "opaque")
            {
                opaque |= value is [(byte)'y'];
            }
            else if (key is "redirect" or "metacopy")
            {
                throw new ContainerizeException(ErrorCodes.UnsupportedOverlayFeature,
                    $"'{path}' carries the overlay xattr {name}: the overlay was mounted with redirect_dir or metacopy, whose upper directory is not a complete diff. "
                    + "Mount the RUN overlay with redirect_dir=off and metacopy=off (userxattr mounts have them off).");
            }
            // origin, impure, nlink, uuid, protattr, ...: the kernel's bookkeeping, not the image's.
        }
        return result.Count > 0 ? result : null;
    }
}
