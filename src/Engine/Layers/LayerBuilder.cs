using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Layers;

/// <summary>Builds a layer blob from a directory in one streaming pass: tar → diff ID hash → gzip → store (digest hash).</summary>
public static class LayerBuilder
{
    public static Task<Layer> FromDirectoryAsync(string sourceDirectory, LayerOptions options, BlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        bool compress = MediaTypes.IsGzipLayer(options.MediaType);
        if (!compress && options.MediaType != MediaTypes.OciLayer)
        {
            throw new ArgumentException($"Layers can be written as gzip or uncompressed tar, not as '{options.MediaType}'.", nameof(options));
        }
        if (!Directory.Exists(sourceDirectory))
        {
            throw new ContainerizeException(ErrorCodes.LayerSourceMissing,
                $"The directory '{sourceDirectory}' to put in a layer does not exist. Check that the previous step (publish, COPY source) produced it.");
        }
        _ = LayerSourceWalker.DestinationParts(options.DestinationRoot);
        return Task.Run(() => Build(sourceDirectory, options, store, cancellationToken), cancellationToken);
    }

    private static Layer Build(string sourceDirectory, LayerOptions options, BlobStore store, CancellationToken cancellationToken) =>
        LayerBlobWriter.Write(store, options.MediaType, options.CompressionLevel, writer =>
        {
            foreach (var source in new LayerSourceWalker(options).Walk(sourceDirectory, cancellationToken))
            {
                using var content = source.ContentPath is null ? null : OpenContent(source.ContentPath);
                writer.WriteEntry(source.Entry, content, cancellationToken);
            }
        });

    internal static FileStream OpenContent(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ContainerizeException(ErrorCodes.LayerSourceUnreadable,
                $"'{path}' cannot be read to put it in a layer: {e.Message}. Make sure nothing changes the directory during the build and that it is readable.", e);
        }
    }
}
