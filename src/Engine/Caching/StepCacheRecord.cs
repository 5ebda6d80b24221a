using System.Text.Json.Serialization;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Caching;

/// <summary>
/// What a cached step produced, stored under its key: the layer (null for a WORKDIR whose folder
/// already existed), the history text and when it ran. Steps that change the image config (ENV, LABEL, …) need
/// no record: they are applied again on every build, which costs nothing.
/// </summary>
public sealed record StepCacheRecord
{
    [JsonPropertyName("key")] public required Digest Key { get; init; }

    [JsonPropertyName("layer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Descriptor? Layer { get; init; }

    [JsonPropertyName("diffId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Digest? DiffId { get; init; }

    [JsonPropertyName("history")] public required string History { get; init; }

    /// <summary>When the step ran (the build's created time), which its history entry keeps on later hits.</summary>
    [JsonPropertyName("created"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Created { get; init; }

    [JsonIgnore] public Layer? AsLayer => Layer is { } descriptor && DiffId is { } diffId ? new Layer(descriptor, diffId) : null;
}
