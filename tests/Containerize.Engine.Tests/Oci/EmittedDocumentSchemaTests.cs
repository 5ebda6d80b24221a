using System.Text;
using System.Text.Json.Nodes;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// Every kind of document our models emit validates against the official OCI JSON Schemas
/// (judged by NJsonSchema, see <see cref="OciSchemas"/>) and against <see cref="OciDocumentValidator"/>.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class EmittedDocumentSchemaTests
{
    public static IEnumerable<TestDataRow<string>> Documents =>
        new[] { "manifest", "index", "config", "layout", "descriptor" }.Select(k => new TestDataRow<string>(k) { DisplayName = $"emitted {k}" });

    [TestMethod]
    [DynamicData(nameof(Documents))]
    public void EmittedDocumentPassesOurValidator(string kind)
    {
        using var temp = new TempDirectory("ctz-emit");
        var (bytes, mediaType, _) = Emit(kind, new BlobStore(temp.Combine("store")));
        var problems = OciDocumentValidator.Validate(bytes, mediaType);
        Assert.IsEmpty(problems, string.Join("; ", problems));
    }

    [TestMethod]
    [DynamicData(nameof(Documents))]
    public void EmittedDocumentValidatesAgainstTheOfficialSchema(string kind)
    {
        using var temp = new TempDirectory("ctz-emit");
        var (bytes, _, schema) = Emit(kind, new BlobStore(temp.Combine("store")));

        var errors = OciSchemas.Errors(schema, bytes);

        Assert.IsEmpty(errors, string.Join("; ", errors));
    }

    [TestMethod]
    public void TheOfficialSchemaCheckRejectsABrokenManifest()
    {
        using var temp = new TempDirectory("ctz-emit");
        var (bytes, _, schema) = Emit("manifest", new BlobStore(temp.Combine("store")));
        var manifest = JsonNode.Parse(bytes)!;
        manifest["config"]!["digest"] = "nope";
        manifest["config"]!["size"] = -1;

        var errors = OciSchemas.Errors(schema, Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        Assert.IsTrue(errors.Any(e => e.Contains("config.digest") && e.Contains("PatternMismatch")), string.Join("; ", errors));
        Assert.IsTrue(errors.Any(e => e.Contains("config.size") && e.Contains("NumberTooSmall")), string.Join("; ", errors));
    }

    private static (byte[] Bytes, string MediaType, string Schema) Emit(string kind, BlobStore store)
    {
        BuiltImage image = SampleImage.Build(store, new Dictionary<string, string> { ["a.txt"] = "a" });
        var manifestDescriptor = new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = image.ManifestDigest,
            Size = image.ManifestBytes.Length,
            Platform = image.Config.Platform,
            Annotations = new SortedDictionary<string, string> { ["org.opencontainers.image.ref.name"] = "1.0" },
        };
        return kind switch
        {
            "manifest" => (image.ManifestBytes, MediaTypes.OciManifest, "image-manifest-schema.json"),
            "config" => (image.ConfigBytes, MediaTypes.OciConfig, "config-schema.json"),
            "index" => (OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [manifestDescriptor] }),
                MediaTypes.OciIndex, "image-index-schema.json"),
            "layout" => (OciJson.Serialize(new OciLayoutHeader()), MediaTypes.OciLayoutHeader, "image-layout-schema.json"),
            "descriptor" => (OciJson.Serialize(manifestDescriptor with { Platform = null }), MediaTypes.OciDescriptor, "content-descriptor.json"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
