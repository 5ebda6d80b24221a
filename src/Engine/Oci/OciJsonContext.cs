using System.Text.Json.Serialization;
using Containerize.Engine.Build.Cache;
using Containerize.Engine.Export;

namespace Containerize.Engine.Oci;

/// <summary>
/// The source-generated contracts of every document the engine reads or writes, so a build pays
/// no reflection or JIT work for JSON on start-up. Metadata only: the serialize fast path is
/// never taken with <see cref="OciJson.Options"/>'s relaxed encoder, so generating it would be dead code.
/// A type missing here fails with NotSupportedException on first use; there is no reflection fallback.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(OciLayoutHeader))]
[JsonSerializable(typeof(StepCacheRecord))]
[JsonSerializable(typeof(DockerArchiveManifestEntry[]))]
[JsonSerializable(typeof(IEnumerable<string>))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
