using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders;

/// <summary>What a build produced: the image's manifest digest and where it went.</summary>
public sealed record BuildResult(
    Digest ManifestDigest,
    string ManifestMediaType,
    IReadOnlyList<string> PushedReferences,
    string? ArchivePath,
    BuiltImage Image)
{
    /// <summary>Bytes uploaded to the registry (blobs it already had cost nothing).</summary>
    public long BytesPushed { get; init; }
}
