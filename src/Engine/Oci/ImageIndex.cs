using System.Text.Json.Serialization;

namespace Containerize.Engine.Oci;

/// <summary>An OCI image index or a Docker manifest list.</summary>
public sealed record ImageIndex
{
    private readonly string? _mediaType;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    /// <summary>Optional in OCI (umoci leaves it out): absent, the registry's Content-Type or the document's shape decides (<see cref="DocumentShape"/>). A fallback in the getter, not an initializer: source-generated contracts set every init-only property, to null when it is absent.</summary>
    [JsonPropertyName("mediaType")] public string MediaType { get => _mediaType ?? MediaTypes.OciIndex; init => _mediaType = value; }
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ArtifactType { get; init; }
    [JsonPropertyName("manifests")] public required IReadOnlyList<Descriptor> Manifests { get; init; }
    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Descriptor? Subject { get; init; }
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SortedDictionary<string, string>? Annotations { get; init; }
}
