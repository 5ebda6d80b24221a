namespace Containerize.Engine.Oci;

/// <summary>
/// An assembled image, ready to export: manifest and config as their exact bytes, and where
/// each layer blob can be read from.
/// </summary>
public sealed record BuiltImage
{
    public required ImageManifest Manifest { get; init; }
    public required byte[] ManifestBytes { get; init; }
    public required Digest ManifestDigest { get; init; }
    public required ImageConfig Config { get; init; }
    public required byte[] ConfigBytes { get; init; }

    /// <summary>One per manifest layer, in the same order.</summary>
    public required IReadOnlyList<Layer> Layers { get; init; }

    public string ManifestMediaType => Manifest.MediaType;
}
