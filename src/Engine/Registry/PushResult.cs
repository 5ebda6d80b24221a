using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>What a push did. <see cref="References"/> are full names: <c>registry/repo:tag</c>, then <c>registry/repo@digest</c>.</summary>
public sealed record PushResult(
    Digest ManifestDigest,
    IReadOnlyList<string> References,
    long BytesUploaded,
    int BlobsUploaded,
    int BlobsSkipped,
    int BlobsMounted);
