using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Layers;

/// <summary>
/// Applies a layer (gzip or plain tar, recognized by its first bytes) onto a directory, refusing
/// anything that would write outside it. Layers come from the network: every name is checked and
/// every parent directory is resolved inside the target, symlinks included. On failure the entry
/// being written is removed; entries already written stay, so extract into a fresh directory and
/// delete it when this throws.
/// </summary>
public static class LayerExtractor
{
    public static Task ExtractAsync(Stream layer, string targetDirectory, ExtractOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() =>
        {
            Directory.CreateDirectory(targetDirectory);
            using var tar = LayerCompression.OpenTar(layer);
            new LayerExtraction(Path.GetFullPath(targetDirectory).TrimEnd('/'), options).Run(tar, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Applies a layer from the store, verified as every layer read is (<see cref="VerifiedLayerStream"/>).</summary>
    public static Task ExtractAsync(BlobStore store, Layer layer, string targetDirectory, ExtractOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() =>
        {
            Directory.CreateDirectory(targetDirectory);
            var extraction = new LayerExtraction(Path.GetFullPath(targetDirectory).TrimEnd('/'), options);
            VerifiedLayerStream.Read(store, layer, tar => { extraction.Run(tar, cancellationToken); return true; }, cancellationToken);
        }, cancellationToken);
    }
}
