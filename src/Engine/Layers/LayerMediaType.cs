using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Layers;

/// <summary>
/// The layer media types we can read: tar, plain or gzip-compressed, in their OCI, Docker,
/// non-distributable and foreign forms. The bytes decide the decompression (as containerd's
/// DecompressStream does); the media type decides whether the blob is a layer we know at all.
/// </summary>
internal static class LayerMediaType
{
    private const string OciLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    private const string OciLayerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    public static bool IsSupported(string mediaType) =>
        MediaTypes.IsGzipLayer(mediaType) || mediaType is MediaTypes.OciLayer or OciLayerNondistributable;

    /// <param name="image">The image the layer belongs to, when known, for the message.</param>
    public static void EnsureSupported(Descriptor layer, string? image)
    {
        if (IsSupported(layer.MediaType)) return;
        string of = image is null ? "" : $" of the image {image}";
        string why = layer.MediaType is MediaTypes.OciLayerZstd or OciLayerNondistributableZstd
            ? "zstd-compressed layers are not supported yet. Use an image whose layers are gzip-compressed or uncompressed tar"
            : $"it is not a layer media type this tool can read ({MediaTypes.OciLayer}, {MediaTypes.OciLayerGzip}, {MediaTypes.DockerLayerGzip} and their non-distributable forms). Use an image built for containers";
        throw new ContainerizeException(ErrorCodes.UnsupportedLayerMediaType,
            $"The layer {layer.Digest}{of} has the media type '{layer.MediaType}': {why}.");
    }
}
