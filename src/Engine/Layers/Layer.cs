using Containerize.Engine.Oci;

namespace Containerize.Engine.Layers;

/// <summary>A layer in the store: its blob (possibly compressed) and the digest of its uncompressed tar.</summary>
public sealed record Layer(Descriptor Descriptor, Digest DiffId);
