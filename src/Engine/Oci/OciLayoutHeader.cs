using System.Text.Json.Serialization;

namespace Containerize.Engine.Oci;

/// <summary>The <c>oci-layout</c> file at the root of an OCI image layout.</summary>
public sealed record OciLayoutHeader
{
    public const string CurrentVersion = "1.0.0";

    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; init; } = CurrentVersion;
}
