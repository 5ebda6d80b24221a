using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

[TestCategory("Registry")]
[TestClass]
public sealed class FaultToleranceTests
{
    private static RegistryServer s_registry = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [ClassInitialize]
    public static void StartRegistry(TestContext _) => s_registry = RegistryServer.StartAnonymous();

    [ClassCleanup]
    public static void StopRegistry() => s_registry?.Dispose();

    [TestMethod]
    [DataRow(500)]
    [DataRow(503)]
    [DataRow(429)]
    [DataRow(408)]
    public async Task PushSucceedsThroughFailingFirstRequests(int status)
    {
        using var proxy = FaultInjectingProxy.FailingFirst(s_registry.Host, 3, status);
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "retry-" + status);
        using var session = TestSessions.Create();

        var result = await session.PushAsync(image, ImageReference.Parse($"{proxy.Host}/retry/push:{status}"), [], store, Ct);

        Assert.AreEqual(3, proxy.FaultsInjected);
        using var inspected = Skopeo.Inspect($"{s_registry.Host}/retry/push:{status}");
        Assert.AreEqual(result.ManifestDigest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
    }

    [TestMethod]
    public async Task RetryAfterIsHonored()
    {
        using var proxy = FaultInjectingProxy.FailingFirst(s_registry.Host, 1, 429, retryAfterSeconds: 1);
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "retry-after");
        using var session = TestSessions.Create();
        var clock = Stopwatch.StartNew();

        await session.PushAsync(image, ImageReference.Parse($"{proxy.Host}/retry/after:1"), [], store, Ct);

        Assert.IsGreaterThanOrEqualTo(950L, clock.ElapsedMilliseconds);
    }

    [TestMethod]
    public async Task ChunkedPushSucceedsWhenEveryThirdRequestFails()
    {
        using var proxy = FaultInjectingProxy.FailingEvery(s_registry.Host, 3, Fault.Status(502));
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "retry-chunks", randomBytes: 200_000);
        using var session = new RegistrySession(TestSessions.Options() with { ChunkSize = 50_000, MaxRetries = 8, MaxParallelTransfers = 1 });

        var result = await session.PushAsync(image, ImageReference.Parse($"{proxy.Host}/retry/chunks:1"), [], store, Ct);

        Assert.IsGreaterThan(0, proxy.FaultsInjected);
        Skopeo.Run(["copy", "--src-tls-verify=false", $"docker://{s_registry.Host}/retry/chunks:1", $"oci:{dir.Combine("layout")}:copy"]);
        Assert.AreEqual(image.ManifestDigest, result.ManifestDigest);
    }

    [TestMethod]
    public async Task PullSucceedsWhenConnectionsDropMidResponse()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "retry-drop", randomBytes: 100_000);
        using (var direct = TestSessions.Create())
        {
            await direct.PushAsync(image, ImageReference.Parse($"{s_registry.Host}/retry/drop:1"), [], store, Ct);
        }
        using var proxy = FaultInjectingProxy.FailingEvery(s_registry.Host, 2, Fault.DropConnection);
        using var freshDir = new TempDirectory();
        var fresh = new BlobStore(freshDir.Path);
        using var session = TestSessions.Create();
        var reference = ImageReference.Parse($"{proxy.Host}/retry/drop:1");

        var resolved = await session.ResolveAsync(reference, Platform.Parse("linux/amd64"), fresh, Ct);
        await session.EnsureBlobsAsync([image.Layers[0] with { Origin = reference }], fresh, Ct);

        Assert.AreEqual(image.ManifestDigest, resolved.ManifestDigest);
        Assert.IsTrue(fresh.Contains(image.Layers[0].Descriptor.Digest));
        Assert.IsGreaterThan(0, proxy.FaultsInjected);
    }

    [TestMethod]
    public async Task PersistentFailuresEndWithARequestFailedError()
    {
        using var proxy = FaultInjectingProxy.FailingFirst(s_registry.Host, int.MaxValue, 503);
        using var dir = new TempDirectory();
        using var session = new RegistrySession(TestSessions.Options() with { MaxRetries = 2 });
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.ResolveAsync(
            ImageReference.Parse($"{proxy.Host}/retry/never:1"), Platform.Parse("linux/amd64"), new BlobStore(dir.Path), Ct));
        Assert.AreEqual(ErrorCodes.RegistryRequestFailed, e.Code);
        StringAssert.Contains(e.Message, "503");
        StringAssert.Contains(e.Message, "injected fault");
        Assert.AreEqual(3, proxy.Requests);
    }

    [TestMethod]
    public async Task AClosedPortIsReportedAsUnreachableQuickly()
    {
        int port = FreePort.Next();
        using var dir = new TempDirectory();
        using var session = TestSessions.Create();
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.ResolveAsync(
            ImageReference.Parse($"127.0.0.1:{port}/nobody/home:1"), Platform.Parse("linux/amd64"), new BlobStore(dir.Path), Ct));

        Assert.AreEqual(ErrorCodes.RegistryUnreachable, e.Code);
        StringAssert.Contains(e.Message, $"127.0.0.1:{port}");
        Assert.IsLessThan(2000L, clock.ElapsedMilliseconds);
    }

    [TestMethod]
    public async Task AnUnknownHostIsReportedAsUnreachable()
    {
        using var dir = new TempDirectory();
        using var session = TestSessions.Create();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.ResolveAsync(
            ImageReference.Parse("no-such-host.invalid/a/b:1"), Platform.Parse("linux/amd64"), new BlobStore(dir.Path), Ct));
        Assert.AreEqual(ErrorCodes.RegistryUnreachable, e.Code);
    }

    [TestMethod]
    public async Task APlainHttpRegistryOnANonLoopbackAddressNeedsToBeDeclaredInsecure()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null) Assert.Fail("This test needs a non-loopback IPv4 address to stand for a remote registry; this machine has none.");

        // Something that speaks plain HTTP, as an HTTP registry would to a TLS handshake.
        var listener = new TcpListener(address, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                await client.GetStream().WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
        });
        try
        {
            string host = $"{address}:{((IPEndPoint)listener.LocalEndpoint).Port}";
            using var dir = new TempDirectory();
            using var session = TestSessions.Create();
            var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.ResolveAsync(
                ImageReference.Parse($"{host}/plain/http:1"), Platform.Parse("linux/amd64"), new BlobStore(dir.Path), Ct));
            Assert.AreEqual(ErrorCodes.RegistryTlsFailed, e.Code);
            StringAssert.Contains(e.Message, "ContainerInsecureRegistries");
            StringAssert.Contains(e.Message, RegistryOptions.InsecureRegistriesEnvironmentVariable);
        }
        finally
        {
            listener.Stop();
        }
    }

    [TestMethod]
    public async Task CancellationStopsAPushPromptly()
    {
        using var proxy = FaultInjectingProxy.FailingFirst(s_registry.Host, int.MaxValue, 429, retryAfterSeconds: 30);
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "cancel");
        using var session = TestSessions.Create();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(300);
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<OperationCanceledException>(
            () => session.PushAsync(image, ImageReference.Parse($"{proxy.Host}/cancel/push:1"), [], store, cts.Token));
        Assert.IsLessThan(3000L, clock.ElapsedMilliseconds);
    }
}
