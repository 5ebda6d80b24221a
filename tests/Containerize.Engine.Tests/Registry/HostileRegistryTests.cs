using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

/// <summary>
/// A registry that lies about sizes, sends bodies that never end, stop short or stall, or answers
/// with a web page: each is a clear CTZ error naming the image and digest, with nothing stored
/// and no temporary file left, never a hang or a full disk.
/// </summary>
[TestCategory("Registry")]
[TestClass]
public sealed class HostileRegistryTests
{
    private static readonly byte[] ConfigBytes = OciJson.Serialize(new ImageConfig
    {
        Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [] },
    });
    private static readonly Digest ConfigDigest = Digest.Sha256(ConfigBytes);

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    /// <summary>A manifest whose config descriptor says <paramref name="configSize"/> bytes.</summary>
    private static byte[] Manifest(long configSize) => OciJson.Serialize(new ImageManifest
    {
        MediaType = MediaTypes.OciManifest,
        Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = ConfigDigest, Size = configSize },
        Layers = [],
    });

    /// <summary>A registry serving <paramref name="manifest"/> for every tag, and the config blob as <paramref name="config"/> writes it.</summary>
    private static ScriptedHttpServer Registry(byte[] manifest, Func<Stream, CancellationToken, Task> config) => new(async (request, stream, ct) =>
    {
        if (request.Path == "/v2/") await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct);
        else if (request.Path.Contains("/manifests/")) await ScriptedHttpServer.WriteAsync(stream, 200, MediaTypes.OciManifest, manifest, ct);
        else if (request.Path.EndsWith("/blobs/" + ConfigDigest, StringComparison.Ordinal)) await config(stream, ct);
        else await ScriptedHttpServer.WriteAsync(stream, 404, "application/json", """{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}"""u8.ToArray(), ct);
    });

    private static RegistrySession Session(double idleSeconds = 60, int retries = 1) =>
        new(TestSessions.Options() with { NetworkIdleTimeout = TimeSpan.FromSeconds(idleSeconds), MaxRetries = retries });

    private async Task<ContainerizeException> ResolveFailsAsync(ScriptedHttpServer server, BlobStore store, RegistrySession? session = null)
    {
        using var owned = session ?? Session();
        return await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            owned.ResolveAsync(ImageReference.Parse($"{server.Host}/hostile/app:1"), Platform.Parse("linux/amd64"), store, Ct));
    }

    private static void AssertNothingStored(BlobStore store)
    {
        Assert.IsFalse(store.Contains(ConfigDigest), "the config blob was stored");
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(store.Root, "tmp")).Length, "a temporary file was left in the store");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AConfigBodyThatNeverEndsIsCutAtTheDescriptorsSize()
    {
        using var server = Registry(Manifest(ConfigBytes.Length), async (stream, ct) =>
        {
            await ScriptedHttpServer.WriteHeadAsync(stream, 200, "application/octet-stream", contentLength: null, ct);
            await stream.WriteAsync(ConfigBytes, ct);
            await ScriptedHttpServer.WriteEndlesslyAsync(stream, ct);
        });
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);

        var e = await ResolveFailsAsync(server, store);

        Assert.AreEqual(ErrorCodes.BlobSizeMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, ConfigDigest.ToString());
        StringAssert.Contains(e.Message, $"the manifest of {server.Host}/hostile/app:1");
        AssertNothingStored(store);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AConfigBodyShorterThanTheDescriptorIsRefused()
    {
        using var server = Registry(Manifest(ConfigBytes.Length + 10), async (stream, ct) =>
        {
            await ScriptedHttpServer.WriteHeadAsync(stream, 200, "application/octet-stream", contentLength: null, ct);
            await stream.WriteAsync(ConfigBytes, ct);
        });
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);

        var e = await ResolveFailsAsync(server, store);

        Assert.AreEqual(ErrorCodes.BlobSizeMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"{ConfigBytes.Length} bytes");
        StringAssert.Contains(e.Message, "manifest is wrong");
        AssertNothingStored(store);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AManifestThatUnderstatesTheConfigSizeIsBlamedNotTheStore()
    {
        // The registry's blob is right (its digest matches); the manifest's size for it is a lie.
        using var server = Registry(Manifest(ConfigBytes.Length - 5), (stream, ct) =>
            ScriptedHttpServer.WriteAsync(stream, 200, "application/octet-stream", ConfigBytes, ct));
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);

        var e = await ResolveFailsAsync(server, store);

        Assert.AreEqual(ErrorCodes.BlobSizeMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"{ConfigBytes.Length} bytes (its Content-Length)");
        Assert.IsFalse(e.Message.Contains("clear", StringComparison.OrdinalIgnoreCase), e.Message);
        AssertNothingStored(store);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AStalledBlobIsRetriedThenFailsNamingTheSetting()
    {
        using var server = Registry(Manifest(ConfigBytes.Length), async (stream, ct) =>
        {
            await ScriptedHttpServer.WriteHeadAsync(stream, 200, "application/octet-stream", ConfigBytes.Length, ct);
            await stream.WriteAsync(ConfigBytes.AsMemory(0, 3), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);

        var e = await ResolveFailsAsync(server, store, Session(idleSeconds: 1, retries: 1));

        Assert.AreEqual(ErrorCodes.RegistryTransferStalled, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"{server.Host}/hostile/app");
        StringAssert.Contains(e.Message, ConfigDigest.ToString());
        StringAssert.Contains(e.Message, "2 times");
        StringAssert.Contains(e.Message, "ContainerNetworkIdleTimeout");
        StringAssert.Contains(e.Message, Engine.IO.NetworkIdleTimeout.EnvironmentVariable);
        AssertNothingStored(store);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task ARegistryThatNeverAnswersTheManifestRequestFailsClearly()
    {
        using var server = new ScriptedHttpServer(async (request, stream, ct) =>
        {
            if (request.Path == "/v2/") await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct);
            else await Task.Delay(Timeout.Infinite, ct);
        });
        using var dir = new TempDirectory();

        var e = await ResolveFailsAsync(server, new BlobStore(dir.Path), Session(idleSeconds: 1, retries: 0));

        Assert.AreEqual(ErrorCodes.RegistryTransferStalled, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"{server.Host}/hostile/app:1");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AManifestByTagThatNeverEndsIsCappedAtFourMiB()
    {
        using var server = new ScriptedHttpServer(async (request, stream, ct) =>
        {
            if (request.Path == "/v2/") { await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct); return; }
            await ScriptedHttpServer.WriteHeadAsync(stream, 200, MediaTypes.OciManifest, contentLength: null, ct);
            await stream.WriteAsync("{\"a\":\""u8.ToArray(), ct);
            await ScriptedHttpServer.WriteEndlesslyAsync(stream, ct);
        });
        using var dir = new TempDirectory();

        var e = await ResolveFailsAsync(server, new BlobStore(dir.Path));

        Assert.AreEqual(ErrorCodes.ManifestTooLarge, e.Code, e.Message);
        StringAssert.Contains(e.Message, "4 MiB");
        StringAssert.Contains(e.Message, $"{server.Host}/hostile/app:1");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AnHtmlPageInsteadOfAManifestIsNamedAsSuch()
    {
        using var server = new ScriptedHttpServer(async (request, stream, ct) =>
        {
            if (request.Path == "/v2/") { await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct); return; }
            await ScriptedHttpServer.WriteAsync(stream, 200, "text/html", Encoding.UTF8.GetBytes("<html><body>Please log in</body></html>"), ct);
        });
        using var dir = new TempDirectory();

        var e = await ResolveFailsAsync(server, new BlobStore(dir.Path));

        Assert.AreEqual(ErrorCodes.InvalidImageDocument, e.Code, e.Message);
        StringAssert.Contains(e.Message, "HTML page");
        StringAssert.Contains(e.Message, $"{server.Host}/hostile/app:1");
    }
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AManifestWrongAboutTheSizeOfABlobAlreadyStoredIsRefused()
    {
        using var server = Registry(Manifest(ConfigBytes.Length + 1), (stream, ct) =>
            ScriptedHttpServer.WriteAsync(stream, 200, "application/octet-stream", ConfigBytes, ct));
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        store.Put(ConfigBytes);

        var e = await ResolveFailsAsync(server, store);

        Assert.AreEqual(ErrorCodes.BlobSizeMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, "already in the store");
        Assert.AreEqual(0, server.RequestsWhere(r => r.Path.Contains("/blobs/", StringComparison.Ordinal)), "nothing is downloaded");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AConfigThatIsNotJsonIsRefusedNamingTheImage()
    {
        byte[] notJson = "<html>not a config</html>"u8.ToArray();
        byte[] manifest = OciJson.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(notJson), Size = notJson.Length },
            Layers = [],
        });
        using var server = new ScriptedHttpServer(async (request, stream, ct) =>
        {
            if (request.Path == "/v2/") await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct);
            else if (request.Path.Contains("/manifests/")) await ScriptedHttpServer.WriteAsync(stream, 200, MediaTypes.OciManifest, manifest, ct);
            else await ScriptedHttpServer.WriteAsync(stream, 200, "application/octet-stream", notJson, ct);
        });
        using var dir = new TempDirectory();

        var e = await ResolveFailsAsync(server, new BlobStore(dir.Path));

        Assert.AreEqual(ErrorCodes.InvalidImageDocument, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"configuration of {server.Host}/hostile/app:1");
    }

    /// <summary>A registry serving an index (by tag) whose one entry says <paramref name="entrySize"/>, and <paramref name="served"/> for the entry's digest.</summary>
    private static (ScriptedHttpServer Server, Digest Entry) IndexRegistry(byte[] entryBytes, long entrySize, byte[] served)
    {
        var entry = Digest.Sha256(entryBytes);
        byte[] index = OciJson.Serialize(new ImageIndex
        {
            Manifests = [new Descriptor { MediaType = MediaTypes.OciManifest, Digest = entry, Size = entrySize, Platform = Platform.Parse("linux/amd64") }],
        });
        var server = new ScriptedHttpServer(async (request, stream, ct) =>
        {
            if (request.Path == "/v2/") await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct);
            else if (request.Path.EndsWith("/manifests/1", StringComparison.Ordinal)) await ScriptedHttpServer.WriteAsync(stream, 200, MediaTypes.OciIndex, index, ct);
            else if (request.Path.EndsWith("/manifests/" + entry, StringComparison.Ordinal)) await ScriptedHttpServer.WriteAsync(stream, 200, MediaTypes.OciManifest, served, ct);
            else await ScriptedHttpServer.WriteAsync(stream, 200, "application/octet-stream", ConfigBytes, ct);
        });
        return (server, entry);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AnIndexWrongAboutAManifestsSizeIsBlamed()
    {
        byte[] manifest = Manifest(ConfigBytes.Length);
        var (server, entry) = IndexRegistry(manifest, manifest.Length - 1, manifest);
        using var _ = server;
        using var dir = new TempDirectory();

        var e = await ResolveFailsAsync(server, new BlobStore(dir.Path));

        Assert.AreEqual(ErrorCodes.BlobSizeMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"The index of {server.Host}/hostile/app:1 lists the manifest {entry}");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AManifestThatIsNotTheOneItsDigestNamesIsRefused()
    {
        byte[] manifest = Manifest(ConfigBytes.Length);
        byte[] other = Manifest(ConfigBytes.Length + 100)[..manifest.Length]; // same size, other bytes
        var (server, entry) = IndexRegistry(manifest, manifest.Length, other);
        using var _ = server;
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);

        var e = await ResolveFailsAsync(server, store);

        Assert.AreEqual(ErrorCodes.BlobDigestMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, entry.ToString());
        Assert.IsFalse(store.Contains(Digest.Sha256(other)));
    }
    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task ARegistryThatNeverAnswersAtAllFailsClearly()
    {
        using var server = new ScriptedHttpServer((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using var dir = new TempDirectory();

        var e = await ResolveFailsAsync(server, new BlobStore(dir.Path), Session(idleSeconds: 1, retries: 1));

        Assert.AreEqual(ErrorCodes.RegistryTransferStalled, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"Contacting {server.Host}");
    }
}
