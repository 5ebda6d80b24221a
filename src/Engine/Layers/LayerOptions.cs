using System.IO.Compression;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Layers;

/// <summary>How a directory becomes a layer.</summary>
public sealed record LayerOptions
{
    /// <summary>Where the source directory's contents land in the image, e.g. <c>/app</c>. Its parents are emitted as directories, mode 0755, owner 0:0.</summary>
    public string DestinationRoot { get; init; } = "/";

    /// <summary>Owner written for every entry; null keeps the owner from disk (for rootfs directories).</summary>
    public int? Uid { get; init; } = 0;

    /// <summary>Group written for every entry; null keeps the group from disk.</summary>
    public int? Gid { get; init; } = 0;

    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UnixEpoch;

    public TimestampMode TimestampMode { get; init; } = TimestampMode.Fixed;

    /// <summary>A gzip layer type (OCI or Docker), or <see cref="MediaTypes.OciLayer"/> for an uncompressed tar.</summary>
    public string MediaType { get; init; } = MediaTypes.OciLayerGzip;

    /// <summary>
    /// Optimal (zlib level 6, what docker, BuildKit and the .NET SDK use) by default. Measured on a
    /// 109 MB copy of the .NET shared runtimes (2 cores, .NET 10): Fastest 90 MB/s at 55% of the tar
    /// size, Optimal 36 MB/s at 45%. A layer is compressed once per content and pulled many times,
    /// so the 19% smaller blob wins over 2 s saved per 100 MB.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;
}
