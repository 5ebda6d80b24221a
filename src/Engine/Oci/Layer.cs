namespace Containerize.Engine.Oci;

/// <summary>
/// A layer of an image: its blob (possibly compressed), the digest of its uncompressed tar, and
/// where the blob is when the local store may not have it yet: the repository of the base image it
/// came with (<see cref="Origin"/>), from which it is mounted or fetched on demand. Layers made by
/// this build have no origin.
/// </summary>
public sealed record Layer(Descriptor Descriptor, Digest DiffId, ImageReference? Origin = null);
