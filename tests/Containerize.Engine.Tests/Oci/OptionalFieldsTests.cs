using Containerize.Engine.Oci;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// The smallest documents the OCI image spec and Docker's schema 2 allow are read: only what they
/// require is required (manifest: config and layers; index: manifests; descriptor: mediaType,
/// digest, size; platform and config: architecture and os; config: rootfs), and optional fields
/// may be absent or JSON null, as other tools write them.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class OptionalFieldsTests
{
    private const string Digest1 = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    [TestMethod]
    public void AManifestWithoutMediaTypeIsRead()
    {
        var manifest = OciJson.Deserialize<ImageManifest>("""
            {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000001","size":2},"layers":[]}
            """u8, "manifest");

        Assert.AreEqual(MediaTypes.OciManifest, manifest.MediaType);
        Assert.AreEqual(Digest1, manifest.Config.Digest.ToString());
    }

    [TestMethod]
    public void AnIndexWithoutMediaTypeAndEntriesWithoutPlatformIsRead()
    {
        var index = OciJson.Deserialize<ImageIndex>("""
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000001","size":2}]}
            """u8, "index");

        Assert.AreEqual(MediaTypes.OciIndex, index.MediaType);
        Assert.IsNull(index.Manifests[0].Platform);
    }

    [TestMethod]
    public void TheShapeOfADocumentWithoutMediaTypeSaysWhatItIs()
    {
        Assert.AreEqual(MediaTypes.OciIndex, DocumentShape.Read("""{"manifests":[]}"""u8)!.MediaType);
        Assert.AreEqual(MediaTypes.OciManifest, DocumentShape.Read("""{"config":{},"layers":[]}"""u8)!.MediaType);
        Assert.AreEqual(MediaTypes.DockerManifest, DocumentShape.Read("""{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","manifests":[]}"""u8)!.MediaType);
        Assert.IsNull(DocumentShape.Read("""{"config":{}}"""u8)!.MediaType);
        Assert.IsNull(DocumentShape.Read("<html></html>"u8));
    }

    [TestMethod]
    public void AConfigWithOnlyWhatTheSpecRequiresIsRead()
    {
        var config = OciJson.Deserialize<ImageConfig>("""{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""u8, "config");

        Assert.AreEqual("linux/arm64", config.Platform.ToString());
        Assert.IsNull(config.Config);
        Assert.IsNull(config.History);
    }

    [TestMethod]
    public void OptionalFieldsThatAreJsonNullAreAbsent()
    {
        var config = OciJson.Deserialize<ImageConfig>("""
            {"architecture":"amd64","os":"linux","created":null,"author":null,"variant":null,
             "config":{"User":null,"Env":null,"Cmd":null,"Entrypoint":null,"Labels":null,"ExposedPorts":null,"Volumes":null,"WorkingDir":null,"Healthcheck":null,"OnBuild":null},
             "rootfs":{"type":"layers","diff_ids":[]},
             "history":[{"created_by":null,"empty_layer":true}]}
            """u8, "config");

        Assert.IsNull(config.Config!.Env);
        Assert.IsNull(config.Config.Labels);
        Assert.IsTrue(config.History![0].EmptyLayer);
    }
}
