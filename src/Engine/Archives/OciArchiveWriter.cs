using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Archives;

/// <summary>
/// Writes an image as an OCI image layout in a tar (<c>oci-archive:</c> for skopeo, <c>podman load</c>).
/// Each name becomes an index entry annotated with its tag (<c>org.opencontainers.image.ref.name</c>)
/// and its full name (<c>io.containerd.image.name</c>).
/// </summary>
public static class OciArchiveWriter
{
    public static Task WriteAsync(BuiltImage image, IReadOnlyList<ImageReference> names, BlobStore store, string archivePath, CancellationToken ct) =>
        DeterministicArchive.WriteAsync(archivePath, ImageLayoutFiles.Collect(image, names, store, archivePath), ct);
}
