using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Store;

namespace Containerize.Engine.Tests.Layers;

/// <summary>RUN's and <c>containerize run</c>'s unpack, the COPY index, COPY --from's unpack.</summary>
public enum LayerReader { Unpack, Index, CopyFrom }

/// <summary>
/// Every way the engine reads a layer from the store: RUN's and <c>containerize run</c>'s overlay
/// lower directories (UnpackedLayerStore), the index COPY, WORKDIR and --chown look at (with a
/// file's content read from it), and COPY --from's unpacked tree (LayerExtractor).
/// </summary>
internal static class LayerReaders
{
    public static readonly LayerReader[] All = [LayerReader.Unpack, LayerReader.Index, LayerReader.CopyFrom];

    /// <summary>Reads the layer the given way; <paramref name="files"/> are in-image paths whose content the index reads.</summary>
    public static void Read(LayerReader kind, BlobStore store, Layer layer, string scratch, IEnumerable<string>? files = null, CancellationToken ct = default)
    {
        switch (kind)
        {
            case LayerReader.Unpack:
                new UnpackedLayerStore(store).GetLowerDirectoriesBottomFirstAsync([layer], ct).GetAwaiter().GetResult();
                break;
            case LayerReader.Index:
                var fs = LayeredImageFileSystem.LoadAsync([layer], store, ct).GetAwaiter().GetResult();
                foreach (string file in files ?? []) fs.ReadFile(file);
                break;
            case LayerReader.CopyFrom:
                LayerExtractor.ExtractAsync(store, layer, scratch, new ExtractOptions { PreserveOwnership = true }, ct).GetAwaiter().GetResult();
                break;
        }
    }

    public static Layer Put(BlobStore store, byte[] blob, Digest diffId, string mediaType = MediaTypes.OciLayerGzip) =>
        new(new Descriptor { MediaType = mediaType, Digest = store.Put(blob), Size = blob.Length }, diffId);

    /// <summary>What a failed read may have left where the store keeps verified results.</summary>
    public static IEnumerable<string> Stored(BlobStore store, Layer layer)
    {
        var unpacked = new UnpackedLayerStore(store);
        if (unpacked.Contains(layer.DiffId)) yield return unpacked.PathFor([layer]);
        foreach (string temp in Directory.EnumerateFileSystemEntries(Path.Combine(unpacked.Root, "tmp")).Where(p => !p.EndsWith(".lock", StringComparison.Ordinal))) yield return temp;
        string listing = LayerHeaderListing.PathFor(store, layer.Descriptor.Digest);
        if (File.Exists(listing)) yield return listing;
    }
}
