using System.Text;
using System.Text.Json;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// The exact bytes our documents are written as: an image's digest is the hash of these bytes, so
/// any change to property order, map order, omitted fields or escaping changes every digest and
/// invalidates every cache and pushed tag that depended on them.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class OciJsonBytesTests
{
    private static readonly Digest A = Digest.Sha256("a"u8);

    [TestMethod]
    public void ConfigIsWrittenInDeclaredOrderWithSortedMapsAndWithoutUnsetFields()
    {
        var config = new ImageConfig
        {
            Created = "2024-01-02T03:04:05Z",
            Architecture = "amd64",
            Os = "linux",
            Config = new ContainerConfig
            {
                User = "app",
                ExposedPorts = new(StringComparer.Ordinal) { ["8080/tcp"] = new(), ["443/tcp"] = new() },
                Env = ["PATH=/usr/bin", "GREETING=<héllo & \"bye\">"],
                Labels = new(StringComparer.Ordinal) { ["b"] = "2", ["B"] = "1", ["a"] = "0" },
                Healthcheck = new HealthConfig { Test = ["CMD", "true"], Interval = 30_000_000_000, Retries = 3 },
                Extra = new() { ["Domainname"] = JsonDocument.Parse("\"\"").RootElement.Clone() },
            },
            RootFs = new RootFs { DiffIds = [A] },
            History = [new HistoryEntry { CreatedBy = "COPY a /" }, new HistoryEntry { CreatedBy = "ENV X=1", EmptyLayer = true }],
        };

        string written = Encoding.UTF8.GetString(OciJson.Serialize(config));

        Assert.AreEqual(
            "{\"created\":\"2024-01-02T03:04:05Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"config\":{\"User\":\"app\",\"ExposedPorts\":{\"443/tcp\":{},\"8080/tcp\":{}},"
            + "\"Env\":[\"PATH=/usr/bin\",\"GREETING=<héllo & \\\"bye\\\">\"],\"Labels\":{\"B\":\"1\",\"a\":\"0\",\"b\":\"2\"},"
            + "\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":30000000000,\"Retries\":3},\"Domainname\":\"\"},"
            + $"\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{A}\"]}},"
            + "\"history\":[{\"created_by\":\"COPY a /\"},{\"created_by\":\"ENV X=1\",\"empty_layer\":true}]}",
            written);
    }

    [TestMethod]
    public void ManifestIsWrittenWithSchemaVersionFirstAndSortedAnnotations()
    {
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = A, Size = 2 },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = A, Size = 3 }],
            Annotations = new(StringComparer.Ordinal) { ["z"] = "1", ["org.opencontainers.image.created"] = "x" },
        };

        string written = Encoding.UTF8.GetString(OciJson.Serialize(manifest));

        Assert.AreEqual(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\","
            + $"\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{A}\",\"size\":2}},"
            + $"\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayerGzip}\",\"digest\":\"{A}\",\"size\":3}}],"
            + "\"annotations\":{\"org.opencontainers.image.created\":\"x\",\"z\":\"1\"}}",
            written);
    }

    [TestMethod]
    public void ConfigFieldsUnknownToTheModelSurviveARewrite()
    {
        byte[] baseConfig = "{\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=1\"],\"Domainname\":\"x\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"container\":\"abc\",\"docker_version\":\"24.0\"}"u8.ToArray();

        var read = OciJson.Deserialize<ImageConfig>(baseConfig, "config");
        byte[] again = OciJson.Serialize(read with { Created = "2024-01-02T03:04:05Z" });

        Assert.AreEqual(
            "{\"created\":\"2024-01-02T03:04:05Z\",\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=1\"],\"Domainname\":\"x\"},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"container\":\"abc\",\"docker_version\":\"24.0\"}",
            Encoding.UTF8.GetString(again));
    }

    [TestMethod]
    public void ATypeOutsideTheDocumentModelIsRefusedRatherThanWrittenByReflection()
    {
        var error = Assert.ThrowsExactly<NotSupportedException>(() => OciJson.Serialize(new Uri("https://example.com/")));

        Assert.Contains(nameof(Uri), error.Message);
    }
}
