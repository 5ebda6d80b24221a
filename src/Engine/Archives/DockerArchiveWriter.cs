using System.Text.Json.Serialization;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Archives;

/// <summary>
/// Writes an image in the format of <c>docker save</c> since Docker 25: an OCI image layout plus
/// the <c>manifest.json</c> that <c>docker load</c>, <c>podman load</c> and skopeo's
/// <c>docker-archive:</c> read, pointing at the same blobs (layers stay gzip-compressed; loaders
/// detect that).
/// </summary>
public static class DockerArchiveWriter
{
    public static Task WriteAsync(BuiltImage image, IReadOnlyList<ImageReference> names, BlobStore store, string archivePath, CancellationToken ct)
    {
        var files = ImageLayoutFiles.Collect(image, names, store, archivePath);
        var entry = new DockerArchiveManifestEntry
        {
            Config = ImageLayoutFiles.BlobPath(image.Manifest.Config.Digest),
            // Full names, not docker save's familiar ones: podman reads a familiar "app:1" as localhost/app:1.
            // A name without a tag cannot be a RepoTag.
            RepoTags = names.Where(n => n.Tag is not null).Select(n => (n with { Digest = null }).ToString()).Distinct().Order(StringComparer.Ordinal).ToList(),
            Layers = image.Layers.Select(l => ImageLayoutFiles.BlobPath(l.Descriptor.Digest)).ToList(),
        };
        files.Add(ArchiveFile.FromBytes("manifest.json", OciJson.Serialize(new[] { entry }, ExportJsonContext.Bound.DockerArchiveManifestEntryArray)));
        return DeterministicArchive.WriteAsync(archivePath, files, ct);
    }
}

/// <summary>One image in a docker-archive's <c>manifest.json</c>.</summary>
internal sealed record DockerArchiveManifestEntry
{
    [JsonPropertyName("Config")] public required string Config { get; init; }
    [JsonPropertyName("RepoTags")] public required IReadOnlyList<string> RepoTags { get; init; }
    [JsonPropertyName("Layers")] public required IReadOnlyList<string> Layers { get; init; }
}
