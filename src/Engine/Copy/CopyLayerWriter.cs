using System.IO.Compression;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Copy;

/// <summary>Streams the copy's entries into a gzip layer blob: tar → diff ID hash → gzip → store.</summary>
internal static class CopyLayerWriter
{
    public static Layer Write(IEnumerable<CopyEntry> entries, BlobStore store, CancellationToken cancellationToken)
    {
        using var blob = store.CreateWriter();
        Digest diffId;
        using (var compressed = new GZipStream(new GzipHeaderNormalizingStream(blob), CompressionLevel.Optimal, leaveOpen: false))
        using (var tar = new HashingWriteStream(compressed))
        {
            using (var buffered = new BufferedStream(tar, 1 << 16))
            {
                var writer = new DeterministicTarWriter(buffered);
                foreach (var entry in entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var content = entry.OpenContent();
                    writer.WriteEntry(entry.Header, content, cancellationToken);
                }
                writer.Finish();
                buffered.Flush();
                diffId = tar.GetDigest();
            }
        }
        long size = blob.BytesWritten;
        var digest = blob.Commit();
        return new Layer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest, Size = size }, diffId);
    }
}
