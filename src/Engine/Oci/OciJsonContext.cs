using System.Text.Json.Serialization;

namespace Containerize.Engine.Oci;

/// <summary>
/// The source-generated contracts of the image documents (and the word lists of a config's shell
/// forms), so a build pays no reflection or JIT work for JSON on start-up; documents of higher
/// folders have contexts of their own there, bound to <see cref="OciJson.NewOptions"/>. Metadata only: the serialize fast path is
/// never taken with <see cref="OciJson.Options"/>'s relaxed encoder, so generating it would be dead code.
/// A type missing here fails with NotSupportedException on first use; there is no reflection fallback.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(OciLayoutHeader))]
[JsonSerializable(typeof(IEnumerable<string>))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
