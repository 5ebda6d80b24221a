using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.ImageFileSystem;

/// <summary>
/// A read-only view of the filesystem an image's layers compose, indexed from the layer blobs in
/// the store without extracting them: the index holds metadata only, and file contents are read
/// from their layer on demand. Paths are absolute in-image paths, '/'-separated; they are cleaned
/// lexically ("/a/./b/../c/" is "/a/c"). Symlinks resolve inside the image, never on the host.
/// </summary>
public sealed class LayeredImageFileSystem : IImageFileSystem
{
    /// <summary>ReadFile is meant for small configuration files such as /etc/passwd.</summary>
    public const long MaxReadFileSize = 16 * 1024 * 1024;

    private readonly List<Layer> _layers;
    private readonly BlobStore _store;
    private readonly IndexResolver _resolver;
    private readonly LayerIndexBuilder _builder;

    private LayeredImageFileSystem(List<Layer> layers, BlobStore store, IndexNode root, LayerIndexBuilder builder)
    {
        _layers = layers;
        _store = store;
        _resolver = new IndexResolver(root);
        _builder = builder;
    }

    /// <summary>Indexes the layers, lowest first, in one streaming pass each that also verifies the layer (its diff ID included).</summary>
    public static Task<LayeredImageFileSystem> LoadAsync(IReadOnlyList<Layer> layers, BlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = layers.ToArray();
        return Task.Run(() =>
        {
            var root = IndexNode.ImplicitDirectory(layer: -1);
            var fileSystem = new LayeredImageFileSystem([], store, root, new LayerIndexBuilder(root));
            foreach (var layer in snapshot) fileSystem.Index(layer, cancellationToken);
            return fileSystem;
        }, cancellationToken);
    }

    /// <summary>Indexes one more layer on top, as a build does after each step; not safe while other threads read.</summary>
    public Task AddLayerAsync(Layer layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return Task.Run(() => Index(layer, cancellationToken), cancellationToken);
    }

    private void Index(Layer layer, CancellationToken cancellationToken)
    {
        var entries = LayerHeaderListing.Read(_store, layer, cancellationToken);
        VerifiedLayerStream.NamingLayer(layer, () =>
        {
            _builder.Apply(entries, _layers.Count, cancellationToken);
            return true;
        });
        _layers.Add(layer);
    }

    /// <summary>Whether the path names an entry; symlinks on the way are followed, a final symlink is not (a dangling one exists).</summary>
    public bool Exists(string absolutePath) => Lookup(absolutePath, followFinal: false) is not null;

    /// <summary>The entry's metadata without following a final symlink (like lstat), or null if absent.</summary>
    public ImageFileInfo? Stat(string absolutePath) => Lookup(absolutePath, followFinal: false)?.ToInfo();

    /// <summary>Whether the path, all symlinks followed, is a directory.</summary>
    public bool IsDirectory(string absolutePath) => Lookup(absolutePath, followFinal: true) is { IsDirectory: true };

    /// <summary>
    /// The in-image path the given one leads to with every symlink followed, even when that last
    /// path does not exist (where a write would land); null on a symlink loop or when a parent is
    /// missing or not a directory.
    /// </summary>
    public string? ResolveSymlinks(string absolutePath) =>
        _resolver.Resolve(ImagePath.Components(absolutePath), followFinal: true)?.Path;

    /// <summary>
    /// The bytes of a regular file (symlinks and hard links followed), or null if the path is
    /// absent or not a regular file. Refuses files over <see cref="MaxReadFileSize"/>.
    /// </summary>
    public byte[]? ReadFile(string absolutePath)
    {
        var node = Lookup(absolutePath, followFinal: true);
        if (node is null || node.ContentLayer < 0) return null;
        if (node.Size > MaxReadFileSize)
        {
            throw new ContainerizeException(ErrorCodes.ImageFileTooLarge,
                $"The image file '{absolutePath}' is {node.Size} bytes; reading image files is meant for small configuration files (at most {MaxReadFileSize} bytes).");
        }
        return LayerEntryContent.Read(_store, _layers[node.ContentLayer], node.ContentOrdinal, CancellationToken.None);
    }

    private IndexNode? Lookup(string absolutePath, bool followFinal) =>
        _resolver.Resolve(ImagePath.Components(absolutePath), followFinal)?.Node;
}
