using Containerize.Engine.Build;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// Every kind of document our models emit validates against the official OCI JSON Schemas
/// (judged by Python's jsonschema when installed) and against <see cref="OciDocumentValidator"/>.
/// </summary>
[TestClass]
public class EmittedDocumentSchemaTests
{
    // Resolves the schemas' relative $refs among the files of oci/schema, whatever base id they are resolved against.
    private const string SchemaValidatorScript = """
        import json, os, sys
        from jsonschema import Draft4Validator, FormatChecker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4
        schema_dir, schema_name, document = sys.argv[1:4]
        aliases = {'descriptor': 'content-descriptor.json', 'config': 'config-schema.json', 'index': 'image-index-schema.json',
                   'manifest': 'image-manifest-schema.json', 'layout': 'image-layout-schema.json', 'mediaType': 'defs-descriptor.json'}
        def retrieve(uri):
            name = uri.rstrip('/').rsplit('/', 1)[-1]
            with open(os.path.join(schema_dir, name if name.endswith('.json') else aliases[name])) as f:
                return Resource(contents=json.load(f), specification=DRAFT4)
        with open(os.path.join(schema_dir, schema_name)) as f:
            schema = json.load(f)
        with open(document) as f:
            instance = json.load(f)
        errors = list(Draft4Validator(schema, registry=Registry(retrieve=retrieve), format_checker=FormatChecker()).iter_errors(instance))
        for e in errors:
            print('/'.join(map(str, e.absolute_path)) or '$', e.message)
        sys.exit(1 if errors else 0)
        """;

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
        if (ExternalTool.Find("python3") is null || ExternalTool.Run("python3", "-c", "import jsonschema, referencing").ExitCode != 0)
        {
            Assert.Inconclusive("python3 with jsonschema is not installed: the official schema check did not run");
        }
        using var temp = new TempDirectory("ctz-emit");
        var (bytes, _, schema) = Emit(kind, new BlobStore(temp.Combine("store")));
        string document = temp.Combine("document.json");
        File.WriteAllBytes(document, bytes);

        var result = ExternalTool.Run("python3", "-c", SchemaValidatorScript, ConformanceData.PathOf("oci", "schema"), schema, document);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
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
