using Containerize.Engine.Errors;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Writes the upper directory of a RUN step's overlay as a layer in one streaming pass (walk →
/// deterministic tar → diff ID hash → gzip → store), the same pipeline as every other layer.
/// Call it after the overlay is unmounted: the upper directory must not change meanwhile.
/// </summary>
public static class UpperDirectoryDiff
{
    public static Task<UpperDiff> WriteLayerAsync(string upperDirectory, UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        string mediaType = options.Layer.MediaType;
        if (!MediaTypes.IsGzipLayer(mediaType) && mediaType != MediaTypes.OciLayer)
        {
            throw new ArgumentException($"Layers can be written as gzip or uncompressed tar, not as '{mediaType}'.", nameof(options));
        }
        if (!Directory.Exists(upperDirectory))
        {
            throw new ContainerizeException(ErrorCodes.LayerSourceMissing,
                $"The upper directory '{upperDirectory}' of the RUN step does not exist, so its changes cannot become a layer. It was removed while the build ran; build again.");
        }
        return Task.Run(() => Write(new UpperDirectoryWalker(options).Walk(upperDirectory, cancellationToken), options, store, cancellationToken), cancellationToken);
    }

    /// <summary>Writes layer entries already in layer order (shared with the copy fallback's <see cref="SnapshotDiff"/>).</summary>
    internal static UpperDiff Write(IEnumerable<LayerSourceEntry> entries, UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken)
    {
        int count = 0;
        var layer = LayerBlobWriter.Write(store, options.Layer.MediaType, options.Layer.CompressionLevel, writer =>
        {
            foreach (var source in entries)
            {
                using var content = source.ContentPath is null ? null : LayerBuilder.OpenContent(source.ContentPath);
                writer.WriteEntry(source.Entry, content, cancellationToken);
                count++;
            }
        });
        return new UpperDiff(layer, count);
    }
}
