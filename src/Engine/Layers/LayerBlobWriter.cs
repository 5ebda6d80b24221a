using System.IO.Compression;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Layers;

/// <summary>
/// The one streaming pipeline every layer goes through: tar entries → diff ID hash → gzip (or
/// none for an uncompressed layer) → store, where the blob's digest is computed as it is written.
/// </summary>
internal static class LayerBlobWriter
{
    public static Layer Write(BlobStore store, string mediaType, CompressionLevel level, Action<DeterministicTarWriter> writeEntries)
    {
        bool compress = MediaTypes.IsGzipLayer(mediaType);
        using var blob = store.CreateWriter();
        Digest diffId;
        using (var compressed = compress ? new GZipStream(new GzipHeaderNormalizingStream(blob), level, leaveOpen: false) : null)
        using (var tar = new HashingWriteStream(compressed ?? (Stream)blob))
        {
            using (var buffered = new BufferedStream(tar, 1 << 16))
            {
                var writer = new DeterministicTarWriter(buffered);
                writeEntries(writer);
                writer.Finish();
                buffered.Flush();
                diffId = tar.GetDigest();
            }
        }
        long size = blob.BytesWritten;
        var digest = blob.Commit();
        return new Layer(new Descriptor { MediaType = mediaType, Digest = digest, Size = size }, diffId);
    }
}
