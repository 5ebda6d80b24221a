using Containerize.Engine.Errors;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.ImageFileSystem;

/// <summary>Streams a layer from the store again up to one entry and returns that entry's bytes.</summary>
internal static class LayerEntryContent
{
    public static byte[] Read(BlobStore store, Descriptor layer, int ordinal, CancellationToken cancellationToken)
    {
        return LayerReadErrors.Guard(layer, () =>
        {
            using var blob = store.OpenRead(layer.Digest);
            using var tar = LayerCompression.OpenTar(blob);
            var reader = new LayerTarReader(tar);
            for (int i = 0; i <= ordinal; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.ReadNext() is null)
                {
                    throw new ContainerizeException(ErrorCodes.CorruptLayer,
                        $"The layer {layer.Digest} changed in the store: it no longer has the entry it was indexed with. Pull the image again.");
                }
            }
            using var content = new MemoryStream();
            reader.CopyContentTo(content, cancellationToken);
            return content.ToArray();
        });
    }
}
