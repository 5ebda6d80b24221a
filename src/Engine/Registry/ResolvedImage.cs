using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>
/// A single-platform image found in a registry. The manifest and config are in the store;
/// layers are not downloaded until <see cref="RegistrySession.EnsureBlobsAsync"/> asks for them.
/// </summary>
public sealed record ResolvedImage(
    ImageReference Reference,
    Digest ManifestDigest,
    ImageManifest Manifest,
    byte[] ManifestBytes,
    ImageConfig Config,
    byte[] ConfigBytes);
