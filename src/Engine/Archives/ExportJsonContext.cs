using System.Text.Json.Serialization;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Archives;

/// <summary>The source-generated contract of <c>docker save</c>'s manifest.json, written with the image documents' options.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(DockerArchiveManifestEntry[]))]
internal sealed partial class ExportJsonContext : JsonSerializerContext
{
    public static ExportJsonContext Bound { get; } = new(OciJson.NewOptions());
}
