using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>
/// What an image is built on: a resolved registry image, an earlier stage of the same build, or
/// nothing (<c>scratch</c>).
/// </summary>
public sealed record BaseImage
{
    public static readonly BaseImage Scratch = new() { Layers = [] };

    /// <summary>The configuration, history included; null for scratch.</summary>
    public ImageConfig? Config { get; init; }

    public required IReadOnlyList<Layer> Layers { get; init; }

    /// <summary>The manifest format the base came in, which a built image keeps unless told otherwise.</summary>
    public ImageFormat Format { get; init; } = ImageFormat.Oci;

    public static BaseImage From(ResolvedImage resolved)
    {
        if (resolved.Config.RootFs.DiffIds.Count != resolved.Manifest.Layers.Count)
        {
            throw new Diagnostics.ContainerizeException(Diagnostics.ErrorCodes.InvalidImageDocument,
                $"The base image {resolved.Reference} is inconsistent: its manifest lists {resolved.Manifest.Layers.Count} layers but its config {resolved.Config.RootFs.DiffIds.Count} diff IDs. Choose another base image.");
        }
        foreach (var layer in resolved.Manifest.Layers) Containerize.Engine.Layers.LayerMediaType.EnsureSupported(layer, resolved.Reference.ToString());
        var layers = resolved.Manifest.Layers
            .Select((descriptor, i) => new Layer(descriptor, resolved.Config.RootFs.DiffIds[i], resolved.Reference))
            .ToList();
        return new BaseImage
        {
            Config = resolved.Config,
            Layers = layers,
            Format = resolved.Manifest.MediaType == MediaTypes.DockerManifest ? ImageFormat.Docker : ImageFormat.Oci,
        };
    }
}
