using System.Text.Json.Serialization;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Caching;

/// <summary>The source-generated contract of the step cache's records, written with the image documents' options.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(StepCacheRecord))]
internal sealed partial class StepCacheJsonContext : JsonSerializerContext
{
    public static StepCacheJsonContext Bound { get; } = new(OciJson.NewOptions());
}
