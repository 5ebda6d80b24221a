using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// An image's layers merged in memory (the index COPY --from reads), bottom first, as they are
/// unpacked into their chain directories: a layer being unpacked places each entry through it, so
/// parents resolve through the layers below as containerd applies them, and a hard link to a lower
/// layer's file finds that file in the lower layer's directory. Layers already unpacked are indexed
/// from their header listings.
/// </summary>
internal sealed class LayerStackView : ILowerLayers
{
    private readonly IndexResolver _resolver;
    private readonly LayerIndexBuilder _builder;
    private readonly List<string> _directories = new();
    private readonly List<ContainerFileOwner> _copiedFromBelow = new();
    private Layer? _unpacking;
    private int _ordinal;

    public LayerStackView()
    {
        var root = IndexNode.ImplicitDirectory(layer: -1);
        _resolver = new IndexResolver(root);
        _builder = new LayerIndexBuilder(root);
    }

    /// <summary>How many layers are indexed.</summary>
    public int Count => _directories.Count;

    /// <summary>The resolved path of each entry of the layer being unpacked, in tar order.</summary>
    public List<string> PlacedPaths { get; } = new();

    /// <summary>Files of lower layers the layer being unpacked copied in for its hard links, with the owner and mode the image gives them.</summary>
    public IReadOnlyList<ContainerFileOwner> CopiedFromBelow => _copiedFromBelow;

    /// <summary>Indexes a layer that is already unpacked in <paramref name="directory"/>.</summary>
    public void Add(BlobStore blobs, Layer layer, string directory, CancellationToken cancellationToken)
    {
        var entries = LayerHeaderListing.Read(blobs, layer, cancellationToken);
        VerifiedLayerStream.NamingLayer(layer, () =>
        {
            _builder.Apply(entries, Count, cancellationToken);
            return true;
        });
        _directories.Add(directory);
    }

    /// <summary>The next layer's entries are placed from now on (<see cref="Place"/>), until <see cref="Unpacked"/>.</summary>
    public void BeginUnpacking(Layer layer)
    {
        _unpacking = layer;
        _ordinal = 0;
        PlacedPaths.Clear();
        _copiedFromBelow.Clear();
    }

    public void Unpacked(string directory)
    {
        _directories.Add(directory);
        _unpacking = null;
    }

    public LowerPlacement Place(TarEntry entry)
    {
        var layer = _unpacking ?? throw new InvalidOperationException("No layer is being unpacked.");
        EntryPlacement placed;
        try
        {
            placed = _builder.Place(entry, Count, _ordinal++);
        }
        catch (ContainerizeException e) when (e.Code is ErrorCodes.LayerDoesNotFitBelow or ErrorCodes.CorruptLayer)
        {
            throw new ContainerizeException(e.Code,
                $"The layer {layer.Descriptor.Digest} (diff ID {layer.DiffId}) does not fit on the layers below it: {e.Message} "
                + "The image is broken as built; build it again from fixed layers, or use another image.", e);
        }
        PlacedPaths.Add(placed.Path);
        if (placed.LinkTarget is not { } target || placed.LinkTargetLayer < 0 || placed.LinkTargetLayer >= Count)
        {
            return new LowerPlacement(placed.Path, placed.LinkTarget, null);
        }
        var node = _resolver.Resolve(ImagePath.Components(target), followFinal: false)!.Value.Node!;
        _copiedFromBelow.Add(new ContainerFileOwner(target, node.Uid, node.Gid, node.Mode));
        return new LowerPlacement(placed.Path, target, Path.Combine(_directories[placed.LinkTargetLayer], target));
    }
}
