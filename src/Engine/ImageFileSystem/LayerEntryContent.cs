using Containerize.Engine.Diagnostics;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.ImageFileSystem;

/// <summary>Streams a layer from the store again up to one entry and returns that entry's bytes.</summary>
internal static class LayerEntryContent
{
    /// <summary>The layer was verified when it was indexed; this read stops at the entry, so it checks the stream, not the diff ID.</summary>
    public static byte[] Read(BlobStore store, Layer layer, int ordinal, CancellationToken cancellationToken) =>
        VerifiedLayerStream.ReadPart(store, layer, tar =>
        {
            var reader = new LayerTarReader(tar);
            for (int i = 0; i <= ordinal; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.ReadNext() is null)
                {
                    throw new ContainerizeException(ErrorCodes.CorruptLayer,
                        $"The layer {layer.Descriptor.Digest} changed in the store: it no longer has the entry it was indexed with. Pull the image again.");
                }
            }
            using var content = new MemoryStream();
            reader.CopyContentTo(content, cancellationToken);
            return content.ToArray();
        });
}
