using System.Text.Json;

namespace Containerize.Engine.Oci;

/// <summary>
/// What a manifest or index says it is: the <c>mediaType</c> it declares (optional in OCI) and
/// the type its shape implies (<c>manifests</c>: an index; <c>config</c> and <c>layers</c>: a
/// manifest), as containerd tells them apart.
/// </summary>
public sealed record DocumentShape(string? DeclaredMediaType, string? ImpliedMediaType)
{
    public string? MediaType => DeclaredMediaType ?? ImpliedMediaType;

    /// <summary>The shape of a JSON object, or null when <paramref name="json"/> is not one.</summary>
    public static DocumentShape? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string? declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            string? implied = root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex
                : root.TryGetProperty("config", out _) && root.TryGetProperty("layers", out _) ? MediaTypes.OciManifest
                : null;
            return new DocumentShape(declared, implied);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
