using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Writes the upper directory of a RUN step's overlay as a layer in one streaming pass (walk →
/// deterministic tar → diff ID hash → gzip → store), the same pipeline as every other layer.
/// Call it after the overlay is unmounted: the upper directory must not change meanwhile. The step
/// made the tree: a file's content is opened by its path inside it without following a symlink in
/// any component (<see cref="ConfinedDirectory"/>), so a directory replaced by a link after the walk
/// cannot put a host file in the layer.
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
        return Task.Run(() => Write(new UpperDirectoryWalker(options).Walk(upperDirectory, cancellationToken), upperDirectory, options, store, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Writes layer entries of <paramref name="root"/> already in layer order, each named by its path
    /// in the root (shared with the copy fallback's <see cref="SnapshotDiff"/>).
    /// </summary>
    internal static UpperDiff Write(IEnumerable<LayerSourceEntry> entries, string root, UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken)
    {
        using var tree = ConfinedDirectory.TryOpen(Path.GetFullPath(root)) ?? throw new DirectoryNotFoundException($"'{root}' does not exist.");
        int count = 0;
        var layer = LayerBlobWriter.Write(store, options.Layer.MediaType, options.Layer.CompressionLevel, writer =>
        {
            foreach (var source in entries)
            {
                using var content = source.ContentPath is null ? null : OpenContent(tree, source.Entry.Name);
                writer.WriteEntry(source.Entry, content, cancellationToken);
                count++;
            }
        });
        return new UpperDiff(layer, count);
    }

    private static FileStream OpenContent(ConfinedDirectory tree, string relative)
    {
        try
        {
            return tree.OpenRegularFile(relative);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerizeException(ErrorCodes.LayerSourceUnreadable,
                $"'{Path.Join(tree.Path, relative)}' cannot be read to put it in a layer: {e.Message}. Nothing may change the RUN step's tree while it becomes a layer; "
                + "a file, or a directory above it, that was replaced by a symlink is not followed.", e);
        }
    }
}
