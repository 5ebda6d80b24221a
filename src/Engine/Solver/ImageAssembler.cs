using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;

namespace Containerize.Engine.Solver;

/// <summary>
/// Stacks new layers and a new configuration onto a base image and writes the resulting
/// config and manifest into the store. Pure assembly: no network, no file walking.
/// </summary>
public static class ImageAssembler
{
    public static BuiltImage Assemble(
        BaseImage baseImage,
        ImageConfig config,
        IReadOnlyList<Layer> newLayers,
        IReadOnlyList<HistoryEntry> newHistory,
        ImageFormat format,
        BlobStore store)
    {
        var layers = baseImage.Layers.Concat(newLayers)
            .Select(l => l with { Descriptor = l.Descriptor with { MediaType = LayerMediaType(l.Descriptor.MediaType, format) } })
            .ToList();

        var finalConfig = config with
        {
            RootFs = new RootFs { DiffIds = layers.Select(l => l.DiffId).ToList() },
            History = [.. baseImage.Config?.History ?? [], .. newHistory],
        };
        byte[] configBytes = OciJson.Serialize(finalConfig);
        var configDigest = store.Put(configBytes);

        var manifest = new ImageManifest
        {
            MediaType = format == ImageFormat.Docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
            Config = new Descriptor
            {
                MediaType = format == ImageFormat.Docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
                Digest = configDigest,
                Size = configBytes.Length,
            },
            Layers = layers.Select(l => l.Descriptor).ToList(),
        };
        byte[] manifestBytes = OciJson.Serialize(manifest);
        var manifestDigest = store.Put(manifestBytes);

        return new BuiltImage
        {
            Manifest = manifest,
            ManifestBytes = manifestBytes,
            ManifestDigest = manifestDigest,
            Config = finalConfig,
            ConfigBytes = configBytes,
            Layers = layers,
        };
    }

    /// <summary>The same compression in the vocabulary of the target format; the blob's bytes and digest do not change.</summary>
    internal static string LayerMediaType(string mediaType, ImageFormat format) => (format, mediaType) switch
    {
        (ImageFormat.Docker, MediaTypes.OciLayerGzip) => MediaTypes.DockerLayerGzip,
        (ImageFormat.Oci, MediaTypes.DockerLayerGzip) => MediaTypes.OciLayerGzip,
        (ImageFormat.Oci, MediaTypes.DockerForeignLayerGzip) => MediaTypes.OciLayerNondistributableGzip,
        _ => mediaType,
    };
}
