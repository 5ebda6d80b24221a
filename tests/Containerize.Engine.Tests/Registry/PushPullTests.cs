using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

[TestCategory("Registry")]
[TestClass]
public sealed class PushPullTests
{
    private static RegistryServer s_registry = null!;

    [ClassInitialize]
    public static void StartRegistry(TestContext _) => s_registry = RegistryServer.StartAnonymous();

    [ClassCleanup]
    public static void StopRegistry() => s_registry?.Dispose();

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    private ImageReference Ref(string repository, string tag = "latest") => ImageReference.Parse($"{s_registry.Host}/{repository}:{tag}");

    [TestMethod]
    public async Task PushedImageIsSeenBySkopeoWithItsDigestAndTags()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "push-basic");
        using var session = TestSessions.Create();

        var result = await session.PushAsync(image, Ref("push/basic"), ["v1", "latest"], store, Ct);

        Assert.AreEqual(image.ManifestDigest, result.ManifestDigest);
        CollectionAssert.AreEqual(new[]
        {
            $"{s_registry.Host}/push/basic:v1", $"{s_registry.Host}/push/basic:latest", $"{s_registry.Host}/push/basic@{image.ManifestDigest}",
        }, result.References.ToArray());
        Assert.AreEqual(2, result.BlobsUploaded);
        using var inspected = Skopeo.Inspect($"{s_registry.Host}/push/basic:v1");
        Assert.AreEqual(image.ManifestDigest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
        var tags = inspected.RootElement.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "latest", "v1" }, tags);
    }

    [TestMethod]
    public async Task SkopeoCanCopyAPushedDockerImage()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "docker-media-types", manifestMediaType: MediaTypes.DockerManifest);
        using var session = TestSessions.Create();
        await session.PushAsync(image, Ref("push/docker"), ["1.0"], store, Ct);

        Skopeo.Run(["copy", "--src-tls-verify=false", $"docker://{s_registry.Host}/push/docker:1.0", $"oci:{dir.Combine("layout")}:copy"]);
        Assert.IsTrue(File.Exists(dir.Combine("layout", "blobs", "sha256", image.Layers[0].Descriptor.Digest.Hex)));
    }

    [TestMethod]
    public async Task PushingTwiceUploadsNothingTheSecondTime()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "push-twice");
        using var session = TestSessions.Create();

        var first = await session.PushAsync(image, Ref("push/twice"), ["a"], store, Ct);
        var second = await session.PushAsync(image, Ref("push/twice"), ["b"], store, Ct);

        Assert.IsGreaterThan(0L, first.BytesUploaded);
        Assert.AreEqual(0L, second.BytesUploaded);
        Assert.AreEqual(0, second.BlobsUploaded);
        Assert.AreEqual(2, second.BlobsSkipped);
    }

    [TestMethod]
    public async Task PushingAgainOnlyAsksAndPutsOnlyATagThatDoesNotNameTheImageYet()
    {
        using var registry = RegistryServer.StartAnonymousWithAccessLog();
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "push-again");
        using var session = TestSessions.Create();
        var destination = ImageReference.Parse($"{registry.Host}/push/again:a");

        await session.PushAsync(image, destination, ["a"], store, Ct);
        await registry.WaitForQuietAsync();
        int before = registry.Requests.Count;
        await session.PushAsync(image, destination, ["a", "b"], store, Ct);
        await registry.WaitForQuietAsync();

        var writes = registry.Requests.Skip(before).Where(r => !r.StartsWith("HEAD ", StringComparison.Ordinal) && r != "GET /v2/").ToList();
        CollectionAssert.AreEqual(new[] { "PUT /v2/push/again/manifests/b" }, writes,
            "the blobs and tag a are there already: HEAD requests only, and one PUT for the new tag");
    }

    [TestMethod]
    public async Task APushThatUploadedBlobsPutsItsTagsWithoutAskingForThemFirst()
    {
        using var registry = RegistryServer.StartAnonymousWithAccessLog();
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "push-new");
        using var session = TestSessions.Create();

        await session.PushAsync(image, ImageReference.Parse($"{registry.Host}/push/new:a"), ["a", "b"], store, Ct);
        await registry.WaitForQuietAsync();

        var manifestRequests = registry.Requests.Where(r => r.Contains("/manifests/", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(new[] { "PUT /v2/push/new/manifests/a", "PUT /v2/push/new/manifests/b" }, manifestRequests,
            "a blob the repository lacked means no tag there names this image: no HEAD before the PUTs");
    }

    [TestMethod]
    public async Task LayersOfAnotherRepositoryOnTheSameRegistryAreMountedNotUploaded()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var baseImage = TestImages.Create(store, "mount-base");
        using var session = TestSessions.Create();
        await session.PushAsync(baseImage, Ref("mount/base"), ["1"], store, Ct);

        using var freshDir = new TempDirectory();
        var fresh = new BlobStore(freshDir.Path);
        var derived = TestImages.WithOrigin(baseImage, Ref("mount/base", "1"));
        var result = await session.PushAsync(derived, Ref("mount/app"), ["1"], fresh, Ct);

        Assert.AreEqual(1, result.BlobsMounted);
        Assert.AreEqual(1, result.BlobsUploaded, "only the config is uploaded");
        Assert.AreEqual((long)derived.ConfigBytes.Length, result.BytesUploaded);
        Assert.IsFalse(fresh.Contains(baseImage.Layers[0].Descriptor.Digest), "a mounted layer is never downloaded");
        using var inspected = Skopeo.Inspect($"{s_registry.Host}/mount/app:1");
        Assert.AreEqual(baseImage.ManifestDigest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
    }

    [TestMethod]
    public async Task ALayerFromAnotherRegistryIsFetchedThenUploaded()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var baseImage = TestImages.Create(store, "fetch-then-upload");
        using var session = TestSessions.Create();
        await session.PushAsync(baseImage, Ref("fetch/base"), ["1"], store, Ct);

        using var other = RegistryServer.StartAnonymous();
        using var freshDir = new TempDirectory();
        var fresh = new BlobStore(freshDir.Path);
        var derived = TestImages.WithOrigin(baseImage, Ref("fetch/base", "1"));
        var result = await session.PushAsync(derived, ImageReference.Parse($"{other.Host}/fetch/app:1"), [], fresh, Ct);

        Assert.AreEqual(2, result.BlobsUploaded);
        Assert.IsTrue(fresh.Contains(baseImage.Layers[0].Descriptor.Digest));
        using var inspected = Skopeo.Inspect($"{other.Host}/fetch/app:1");
        Assert.AreEqual(baseImage.ManifestDigest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
    }

    [TestMethod]
    public async Task ChunkedUploadProducesTheSameBlobs()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "chunked", randomBytes: 300_000);
        using var session = new RegistrySession(TestSessions.Options() with { ChunkSize = 64 * 1024 });

        var result = await session.PushAsync(image, Ref("push/chunked"), ["1"], store, Ct);

        Assert.AreEqual(2, result.BlobsUploaded);
        Assert.IsGreaterThan(200_000L, result.BytesUploaded);
        Skopeo.Run(["copy", "--src-tls-verify=false", $"docker://{s_registry.Host}/push/chunked:1", $"oci:{dir.Combine("layout")}:copy"]);
        var copied = dir.Combine("layout", "blobs", "sha256", image.Layers[0].Descriptor.Digest.Hex);
        Assert.AreEqual(image.Layers[0].Descriptor.Digest, Digest.Sha256(File.ReadAllBytes(copied)));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task PullByTagOrDigestStoresManifestConfigAndLayers(bool byDigest)
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "pull-" + byDigest);
        using var session = TestSessions.Create();
        await session.PushAsync(image, Ref("pull/image"), [byDigest ? "d" : "t"], store, Ct);

        using var freshDir = new TempDirectory();
        var fresh = new BlobStore(freshDir.Path);
        var reference = byDigest ? ImageReference.Parse($"{s_registry.Host}/pull/image@{image.ManifestDigest}") : Ref("pull/image", "t");
        var resolved = await session.ResolveAsync(reference, Platform.Parse("linux/amd64"), fresh, Ct);

        Assert.AreEqual(image.ManifestDigest, resolved.ManifestDigest);
        CollectionAssert.AreEqual(image.ManifestBytes, resolved.ManifestBytes);
        CollectionAssert.AreEqual(image.ConfigBytes, resolved.ConfigBytes);
        Assert.AreEqual("amd64", resolved.Config.Architecture);
        Assert.IsTrue(fresh.Contains(image.ManifestDigest));
        Assert.IsTrue(fresh.Contains(image.Manifest.Config.Digest));
        Assert.IsFalse(fresh.Contains(image.Layers[0].Descriptor.Digest), "layers wait for EnsureBlobsAsync");

        var layers = resolved.Manifest.Layers.Select((d, i) => new Containerize.Engine.Oci.Layer(d, resolved.Config.RootFs.DiffIds[i], reference)).ToList();
        await session.EnsureBlobsAsync(layers, fresh, Ct);
        Assert.IsTrue(fresh.Contains(image.Layers[0].Descriptor.Digest));
    }

    [TestMethod]
    public async Task AnUnknownImageIsReportedAsNotFound()
    {
        using var dir = new TempDirectory();
        using var session = TestSessions.Create();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(
            () => session.ResolveAsync(Ref("no/such-image", "1"), Platform.Parse("linux/amd64"), new BlobStore(dir.Path), Ct));
        Assert.AreEqual(ErrorCodes.ImageNotFound, e.Code);
        StringAssert.Contains(e.Message, "no/such-image:1");
        StringAssert.Contains(e.Message, s_registry.Host);
    }

    [TestMethod]
    public async Task InvalidTagsAreRefusedBeforeAnythingIsSent()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "bad-tag");
        using var session = TestSessions.Create();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.PushAsync(image, Ref("push/badtag"), ["-nope"], store, Ct));
        Assert.AreEqual(ErrorCodes.InvalidReference, e.Code);
    }

    [TestMethod]
    public async Task ACorruptBlobInTheRegistryIsDetectedAndNotStored()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "corrupt-me", randomBytes: 1000);
        using var session = TestSessions.Create();
        await session.PushAsync(image, Ref("corrupt/image"), ["1"], store, Ct);
        var layer = image.Layers[0].Descriptor.Digest;
        string onDisk = s_registry.BlobDataPath(layer.ToString());
        byte[] bytes = File.ReadAllBytes(onDisk);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(onDisk, bytes);

        using var freshDir = new TempDirectory();
        var fresh = new BlobStore(freshDir.Path);
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.EnsureBlobsAsync(
            [image.Layers[0] with { Origin = Ref("corrupt/image", "1") }], fresh, Ct));

        Assert.AreEqual(ErrorCodes.BlobDigestMismatch, e.Code);
        Assert.IsFalse(fresh.Contains(layer));
        Assert.IsEmpty(Directory.GetFiles(freshDir.Combine("tmp")));
    }
}
