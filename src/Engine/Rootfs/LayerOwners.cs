using Containerize.Engine.Execution;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// What an unprivileged unpack cannot write itself, read from the layer's tar headers (content is
/// skipped): each path owned by another id than root, or carrying <c>security.capability</c>, with
/// the owner, mode and capability the image gives it, at the path the extraction placed the entry
/// (its parents resolved through the layers below). The last entry for a path wins, as in the
/// extraction; whiteouts and hard links (which share their target's inode) add nothing.
/// </summary>
internal static class LayerOwners
{
    private const string Capability = "security.capability";

    /// <param name="otherIds">False with one mapped id: only root exists, so only capabilities are kept.</param>
    /// <param name="placedPaths">Where the extraction placed each entry, in tar order.</param>
    public static List<ContainerFileOwner> Read(BlobStore blobs, Layer layer, IReadOnlyList<string> placedPaths, bool otherIds, CancellationToken cancellationToken)
    {
        return VerifiedLayerStream.Read(blobs, layer, tar => Read(tar, placedPaths, otherIds, cancellationToken), cancellationToken);
    }

    private static List<ContainerFileOwner> Read(Stream tar, IReadOnlyList<string> placedPaths, bool otherIds, CancellationToken cancellationToken)
    {
        var byPath = new Dictionary<string, ContainerFileOwner>(StringComparer.Ordinal);
        var reader = new LayerTarReader(tar);
        for (int ordinal = 0; reader.ReadNext() is { } entry; ordinal++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = placedPaths[ordinal];
            if (path.Length == 0 || Path.GetFileName(path).StartsWith(Whiteouts.Prefix, StringComparison.Ordinal) || entry.Type == TarEntryType.HardLink) continue;
            byte[]? capability = entry.Type == TarEntryType.RegularFile && entry.Xattrs is { } x && x.TryGetValue(Capability, out var c) ? c : null;
            bool owned = otherIds && (entry.Uid != 0 || entry.Gid != 0);
            if (!owned && capability is null)
            {
                byPath.Remove(path); // a later root entry at the path is a new file the unpack wrote as the user
                continue;
            }
            byPath[path] = new ContainerFileOwner(path, owned ? entry.Uid : 0, owned ? entry.Gid : 0, entry.Mode, capability);
        }
        return [.. byPath.Values]; // each path stands alone: the order does not matter
    }
}
