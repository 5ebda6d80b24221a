using Containerize.Engine.Execution;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// What an unprivileged unpack cannot write itself, read from the layer's tar headers (content is
/// skipped): each path owned by another id than root, or carrying <c>security.capability</c>, with
/// the owner, mode and capability the image gives it. The last entry for a path wins, as in the
/// extraction; whiteouts and hard links (which share their target's inode) add nothing.
/// </summary>
internal static class LayerOwners
{
    private const string Capability = "security.capability";

    /// <param name="otherIds">False with one mapped id: only root exists, so only capabilities are kept.</param>
    public static List<ContainerFileOwner> Read(BlobStore blobs, Layer layer, bool otherIds, CancellationToken cancellationToken)
    {
        var byPath = new Dictionary<string, ContainerFileOwner>(StringComparer.Ordinal);
        using var blob = blobs.OpenRead(layer.Descriptor.Digest);
        using var tar = LayerCompression.OpenTar(blob);
        var reader = new LayerTarReader(tar);
        while (reader.ReadNext() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = LayerPath.Clean(entry.Name, entry.Name);
            if (parts.Count == 0 || parts[^1].StartsWith(Whiteouts.Prefix, StringComparison.Ordinal) || entry.Type == TarEntryType.HardLink) continue;
            string path = string.Join('/', parts);
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
