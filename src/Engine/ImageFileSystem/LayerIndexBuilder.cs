using Containerize.Engine.Diagnostics;
using Containerize.Engine.Layers;

namespace Containerize.Engine.ImageFileSystem;

/// <summary>
/// Applies layers' tar entries, in order, to the in-memory index: later entries replace earlier
/// ones (a directory over a directory only updates its metadata), and OCI whiteouts remove what
/// lower layers wrote. Only headers are kept; contents are skipped.
/// </summary>
internal sealed class LayerIndexBuilder
{
    private readonly IndexNode _root;
    private readonly IndexResolver _resolver;

    public LayerIndexBuilder(IndexNode root)
    {
        _root = root;
        _resolver = new IndexResolver(root);
    }

    /// <param name="entries">The layer's entry headers in tar order (an entry's position is its ordinal).</param>
    public void Apply(IReadOnlyList<TarEntry> entries, int layer, CancellationToken cancellationToken)
    {
        for (int ordinal = 0; ordinal < entries.Count; ordinal++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Apply(entries[ordinal], layer, ordinal);
        }
    }

    /// <summary>
    /// Applies one entry, as <see cref="Apply(IReadOnlyList{TarEntry}, int, CancellationToken)"/> does,
    /// and says where it lands in the image: its parents resolved through the layers below and the
    /// entries before it. A parent that is not a directory there is <see cref="ErrorCodes.LayerDoesNotFitBelow"/>,
    /// as in containerd's applier, instead of becoming a directory.
    /// </summary>
    public EntryPlacement Place(TarEntry entry, int layer, int ordinal) => Apply(entry, layer, ordinal, nonDirectoryParentFails: true);

    private EntryPlacement Apply(TarEntry entry, int layer, int ordinal, bool nonDirectoryParentFails = false)
    {
        var parts = LayerPath.Clean(entry.Name, entry.Name);
        if (parts.Count == 0)
        {
            if (entry.Type == TarEntryType.Directory) CopyMetadata(entry, _root);
            return new EntryPlacement("", null, -1);
        }
        string name = parts[^1];
        var resolved = _resolver.ResolveParentForWrite(parts.GetRange(0, parts.Count - 1), layer, nonDirectoryParentFails);
        if (resolved.Blocked)
        {
            throw new ContainerizeException(ErrorCodes.LayerDoesNotFitBelow,
                $"The layer entry '{entry.Name}' needs '{ImagePath.Join(resolved.Path)}' to be a directory, but the layers below it (or entries before it) made that a file.");
        }
        var parent = resolved.Node ?? throw Corrupt(entry, "has a parent path that loops through symlinks");
        string path = string.Join('/', resolved.Path.Append(name));

        if (name.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(entry, parent, name, layer);
            return new EntryPlacement(path, null, -1);
        }

        if (entry.Type == TarEntryType.Directory && parent.Child(name) is { IsDirectory: true } existing)
        {
            CopyMetadata(entry, existing);
            existing.WrittenInLayer = layer;
            return new EntryPlacement(path, null, -1);
        }
        (IndexNode node, (string Path, int Layer)? target) = entry.Type == TarEntryType.HardLink ? HardLink(entry) : (NewNode(entry, layer, ordinal), null);
        node.WrittenInLayer = layer;
        parent.SetChild(name, node);
        return new EntryPlacement(path, target?.Path, target?.Layer ?? -1);
    }

    private static IndexNode NewNode(TarEntry entry, int layer, int ordinal)
    {
        var node = new IndexNode();
        CopyMetadata(entry, node);
        switch (entry.Type)
        {
            case TarEntryType.RegularFile:
                node.Kind = ImageFileKind.File;
                node.Size = entry.Size;
                node.ContentLayer = layer;
                node.ContentOrdinal = ordinal;
                break;
            case TarEntryType.Directory:
                node.Kind = ImageFileKind.Directory;
                break;
            case TarEntryType.SymbolicLink:
                if (entry.LinkName.Length == 0) throw Corrupt(entry, "is a symlink with an empty target");
                node.Kind = ImageFileKind.Symlink;
                node.LinkTarget = entry.LinkName;
                break;
            default:
                node.Kind = ImageFileKind.Other;
                break;
        }
        return node;
    }

    /// <summary>A hard link shares its target's content as the target is now, whatever later layers do to the target's path.</summary>
    private (IndexNode Node, (string Path, int Layer)? Target) HardLink(TarEntry entry)
    {
        List<string> parts;
        try
        {
            parts = LayerPath.Clean(entry.LinkName, entry.Name);
        }
        catch (ContainerizeException e) when (e.Code == ErrorCodes.UnsafeLayerPath)
        {
            throw LayerPath.Unsafe(entry.Name, $"its hard link target '{entry.LinkName}' climbs out of the image root");
        }
        if (parts.Count == 0 || _resolver.Resolve(parts, followFinal: false) is not { Node: { } target } resolved)
        {
            throw Corrupt(entry, $"is a hard link to '{entry.LinkName}', which is not in the image");
        }
        if (target.IsDirectory) throw Corrupt(entry, $"is a hard link to the directory '{entry.LinkName}'");

        var node = new IndexNode();
        CopyMetadata(entry, node);
        if (target.Kind is ImageFileKind.File or ImageFileKind.HardLink)
        {
            node.Kind = ImageFileKind.HardLink;
            node.LinkTarget = resolved.Path;
            node.Size = target.Size;
            node.ContentLayer = target.ContentLayer;
            node.ContentOrdinal = target.ContentOrdinal;
        }
        else
        {
            // A hard link to a symlink or device is another name for that symlink or device.
            node.Kind = target.Kind;
            node.LinkTarget = target.LinkTarget;
        }
        return (node, (resolved.Path.TrimStart('/'), target.WrittenInLayer));
    }

    private static void ApplyWhiteout(TarEntry entry, IndexNode parent, string name, int layer)
    {
        if (name == Whiteouts.Opaque)
        {
            RemoveLowerChildren(parent, layer);
            return;
        }
        if (name.StartsWith(Whiteouts.AufsMetaPrefix, StringComparison.Ordinal)) return;
        string victim = name[Whiteouts.Prefix.Length..];
        if (victim is "" or "." or "..") throw LayerPath.Unsafe(entry.Name, $"whiteout of '{victim}'");
        if (parent.Child(victim) is { } existing && existing.WrittenInLayer < layer) parent.RemoveChild(victim);
    }

    /// <summary>Opaque directory: everything below it that this layer did not write goes.</summary>
    private static void RemoveLowerChildren(IndexNode directory, int layer)
    {
        if (directory.Children is not { } children) return;
        foreach (var (name, child) in children.ToList())
        {
            if (child.WrittenInLayer < layer) children.Remove(name);
            else if (child.IsDirectory) RemoveLowerChildren(child, layer);
        }
    }

    private static void CopyMetadata(TarEntry entry, IndexNode node)
    {
        node.Mode = entry.Mode;
        node.Uid = entry.Uid;
        node.Gid = entry.Gid;
    }

    private static ContainerizeException Corrupt(TarEntry entry, string problem) =>
        new(ErrorCodes.CorruptLayer, $"The layer is corrupt: entry '{entry.Name}' {problem}. Pull or build the layer again.");
}

/// <summary>
/// Where a layer entry lands in the image: <see cref="Path"/> relative to the root with every parent
/// resolved ("" for the root itself); for a hard link, its target's resolved path and the layer that
/// wrote the target (-1 otherwise).
/// </summary>
internal readonly record struct EntryPlacement(string Path, string? LinkTarget, int LinkTargetLayer);
