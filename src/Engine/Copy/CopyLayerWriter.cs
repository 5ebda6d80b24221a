using System.IO.Compression;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Copy;

/// <summary>Streams the copy's entries into a gzip layer blob: tar → diff ID hash → gzip → store. Later names of one host inode become hard links to the first.</summary>
internal static class CopyLayerWriter
{
    public static Layer Write(IEnumerable<CopyEntry> entries, BlobStore store, CancellationToken cancellationToken) =>
        LayerBlobWriter.Write(store, MediaTypes.OciLayerGzip, CompressionLevel.Optimal, writer =>
        {
            var firstNameOfInode = new Dictionary<(ulong, ulong), string>();
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.Inode is { } inode)
                {
                    if (firstNameOfInode.TryGetValue(inode, out string? first))
                    {
                        writer.WriteEntry(entry.Header with { Type = TarEntryType.HardLink, LinkName = first, Size = 0 }, null, cancellationToken);
                        continue;
                    }
                    firstNameOfInode[inode] = entry.Header.Name;
                }
                using var content = entry.OpenContent();
                writer.WriteEntry(entry.Header, content, cancellationToken);
            }
        });
}
