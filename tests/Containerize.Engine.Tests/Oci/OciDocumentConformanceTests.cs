using System.Text;
using System.Text.Json;
using Containerize.Engine.Oci;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// The OCI image-spec vectors (tests/conformance/oci): schema cases against
/// <see cref="OciDocumentValidator"/>, spec examples and real Docker Hub documents through our models.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class OciDocumentConformanceTests
{
    private const string ManifestWithoutLayers = "schema-cases/TestManifest-006-invalid.json";

    /// <summary>
    /// Schema cases where we differ from upstream's verdict on purpose, left out of <see cref="SchemaCases"/>;
    /// each has its own test of the behavior we chose.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDisagreements = new()
    {
        [ManifestWithoutLayers] =
            "a manifest with no layers is accepted when read: the schema says minItems 1, the spec prose only SHOULD, and registries serve such images",
    };

    private static readonly Lazy<JsonElement> Corpus = new(() =>
    {
        using var doc = ConformanceData.LoadJson("oci", "cases.json");
        return doc.RootElement.Clone();
    });

    public static IEnumerable<TestDataRow<string>> SchemaCases => Rows("schema_cases").Where(r => !KnownDisagreements.ContainsKey(r.Value));

    public static IEnumerable<TestDataRow<string>> SpecExamples => Rows("spec_examples");

    public static IEnumerable<TestDataRow<string>> RealDockerHubDocuments =>
        Rows("schema_cases").Where(r => Find(r.Value).TryGetProperty("expected_digest", out _));

    [TestMethod]
    [DynamicData(nameof(SchemaCases))]
    public void SchemaCaseAgreesWithUpstream(string file)
    {
        var c = Find(file);
        byte[] bytes = ConformanceData.ReadBytes("oci", file);
        if (c.TryGetProperty("docker_to_oci", out var convert) && convert.GetBoolean()) bytes = DockerToOci(bytes);
        bool expectedValid = c.GetProperty("expected_valid").GetBoolean();

        var problems = OciDocumentValidator.Validate(bytes, c.GetProperty("validator_media_type").GetString()!);

        Assert.AreEqual(expectedValid, problems.Count == 0, string.Join("; ", problems));
    }

    [TestMethod]
    public void KnownDisagreementsAreExactlyTheExcludedCases()
    {
        var all = Rows("schema_cases").Select(r => r.Value).ToList();
        var excluded = all.Except(SchemaCases.Select(r => r.Value)).ToList();

        CollectionAssert.AreEquivalent(KnownDisagreements.Keys.ToList(), excluded);
        Assert.HasCount(1, KnownDisagreements);
        // Each is still a case upstream calls invalid; were that to change, it would simply rejoin the corpus.
        foreach (string file in excluded) Assert.IsFalse(Find(file).GetProperty("expected_valid").GetBoolean(), file);
    }

    [TestMethod]
    public void ManifestWithoutLayersIsAcceptedOnRead()
    {
        byte[] bytes = ConformanceData.ReadBytes("oci", ManifestWithoutLayers);

        var problems = OciDocumentValidator.Validate(bytes, MediaTypes.OciManifest);

        Assert.IsEmpty(problems, string.Join("; ", problems));
        Assert.IsEmpty(OciJson.Deserialize<ImageManifest>(bytes, "manifest").Layers);
        // The official schema is what we depart from: it requires at least one layer.
        var schemaErrors = OciSchemas.Errors("image-manifest-schema.json", bytes);
        Assert.AreEqual("#/layers: TooFewItems", string.Join("; ", schemaErrors));
    }

    [TestMethod]
    [DynamicData(nameof(SpecExamples))]
    public void SpecExampleValidatesAndRoundTripsThroughOurModel(string file)
    {
        var c = Find(file);
        byte[] bytes = ConformanceData.ReadBytes("oci", file);
        string mediaType = c.GetProperty("validator_media_type").GetString()!;

        var problems = OciDocumentValidator.Validate(bytes, mediaType);
        Assert.IsEmpty(problems, string.Join("; ", problems));
        AssertRoundTrips(bytes, mediaType, nullEqualsAbsent: false);
    }

    [TestMethod]
    [DynamicData(nameof(RealDockerHubDocuments))]
    public void RealDockerHubDocumentHashesAndRoundTrips(string file)
    {
        var c = Find(file);
        byte[] bytes = ConformanceData.ReadBytes("oci", file);
        Assert.AreEqual(c.GetProperty("expected_digest").GetString(), Digest.Sha256(bytes).ToString());

        // A config carries no mediaType of its own.
        string mediaType = file.Contains("Config") ? MediaTypes.DockerConfig : DocumentShape.Read(bytes)!.MediaType!;
        var problems = OciDocumentValidator.Validate(bytes, mediaType);
        Assert.IsEmpty(problems, string.Join("; ", problems));
        // Docker's configs spell unset fields as null; our model omits them, which means the same.
        AssertRoundTrips(bytes, mediaType, nullEqualsAbsent: MediaTypes.IsConfig(mediaType));
    }

    private static void AssertRoundTrips(byte[] bytes, string mediaType, bool nullEqualsAbsent)
    {
        byte[] again = mediaType switch
        {
            MediaTypes.OciManifest or MediaTypes.DockerManifest => OciJson.Serialize(OciJson.Deserialize<ImageManifest>(bytes, "manifest")),
            MediaTypes.OciIndex or MediaTypes.DockerManifestList => OciJson.Serialize(OciJson.Deserialize<ImageIndex>(bytes, "index")),
            MediaTypes.OciConfig or MediaTypes.DockerConfig => OciJson.Serialize(OciJson.Deserialize<ImageConfig>(bytes, "config")),
            MediaTypes.OciDescriptor => OciJson.Serialize(OciJson.Deserialize<Descriptor>(bytes, "descriptor")),
            MediaTypes.OciLayoutHeader => OciJson.Serialize(OciJson.Deserialize<OciLayoutHeader>(bytes, "layout header")),
            _ => throw new AssertFailedException($"no model for {mediaType}"),
        };
        var differences = JsonSemantics.Differences(bytes, again, nullEqualsAbsent);
        Assert.IsEmpty(differences, string.Join("; ", differences));
    }

    private static byte[] DockerToOci(byte[] bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        foreach (var pair in Corpus.Value.GetProperty("compat_map").EnumerateObject()) text = text.Replace(pair.Name, pair.Value.GetString());
        return Encoding.UTF8.GetBytes(text);
    }

    private static JsonElement Find(string file) =>
        Corpus.Value.GetProperty("schema_cases").EnumerateArray()
            .Concat(Corpus.Value.GetProperty("spec_examples").EnumerateArray())
            .First(c => c.GetProperty("file").GetString() == file);

    private static IEnumerable<TestDataRow<string>> Rows(string list) =>
        Corpus.Value.GetProperty(list).EnumerateArray().Select(c =>
        {
            string file = c.GetProperty("file").GetString()!;
            return new TestDataRow<string>(file) { DisplayName = $"{Path.GetFileNameWithoutExtension(file)} as {c.GetProperty("validator_media_type").GetString()}" };
        });
}
