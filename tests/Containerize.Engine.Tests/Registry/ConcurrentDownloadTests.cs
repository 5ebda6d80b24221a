using System.Collections.Concurrent;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

/// <summary>Stages built at the same time (and the prefetch of base images) ask one session for the same layers.</summary>
[TestCategory("Registry")]
[TestClass]
public sealed class ConcurrentDownloadTests
{
    private static RegistryServer s_registry = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void StartRegistry(TestContext _) => s_registry = RegistryServer.StartAnonymous();

    [ClassCleanup]
    public static void StopRegistry() => s_registry?.Dispose();

    [TestMethod]
    public async Task ALayerAskedForByManyAtOnceIsDownloadedOnce()
    {
        using var dir = new TempDirectory();
        var source = new BlobStore(dir.Combine("source"));
        var image = TestImages.Create(source, "shared layer", randomBytes: 4 << 20);
        using (var pusher = TestSessions.Create())
        {
            await pusher.PushAsync(image, ImageReference.Parse($"{s_registry.Host}/shared/layer:1"), [], source, TestContext.CancellationToken);
        }
        var layer = image.Layers[0];
        var blobRequests = new ConcurrentQueue<ProxiedRequest>();
        using var proxy = new FaultInjectingProxy(s_registry.Host, request =>
        {
            if (request.Method == "GET" && request.Path.EndsWith($"/blobs/{layer.Descriptor.Digest}", StringComparison.Ordinal)) blobRequests.Enqueue(request);
            return Fault.None;
        });
        var store = new BlobStore(dir.Combine("store"));
        var fromProxy = layer with { Origin = ImageReference.Parse($"{proxy.Host}/shared/layer:1") };
        using var session = TestSessions.Create();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => session.EnsureBlobsAsync([fromProxy], store, TestContext.CancellationToken))));

        Assert.IsTrue(store.Contains(layer.Descriptor.Digest));
        Assert.AreEqual(1, blobRequests.Count, "one download served every caller");
    }

    [TestMethod]
    public async Task ACallerStillWaitingGetsTheLayerWhenTheOneWhoStartedTheDownloadGivesUp()
    {
        using var dir = new TempDirectory();
        var source = new BlobStore(dir.Combine("source"));
        var image = TestImages.Create(source, "abandoned download", randomBytes: 4 << 20);
        using (var pusher = TestSessions.Create())
        {
            await pusher.PushAsync(image, ImageReference.Parse($"{s_registry.Host}/shared/abandoned:1"), [], source, TestContext.CancellationToken);
        }
        using var arrived = new ManualResetEventSlim();
        using var cancelled = new ManualResetEventSlim();
        int blobRequests = 0;
        // The first download is held at the proxy until its caller has given up.
        using var proxy = new FaultInjectingProxy(s_registry.Host, request =>
        {
            if (request.Method == "GET" && request.Path.Contains("/blobs/", StringComparison.Ordinal) && Interlocked.Increment(ref blobRequests) == 1)
            {
                arrived.Set();
                cancelled.Wait(TimeSpan.FromSeconds(30));
            }
            return Fault.None;
        });
        var layer = image.Layers[0] with { Origin = ImageReference.Parse($"{proxy.Host}/shared/abandoned:1") };
        var store = new BlobStore(dir.Combine("store"));
        using var session = TestSessions.Create();
        using var giveUp = new CancellationTokenSource();

        var first = session.EnsureBlobsAsync([layer], store, giveUp.Token);
        Assert.IsTrue(arrived.Wait(TimeSpan.FromSeconds(30)), "the first download reached the registry");
        var second = session.EnsureBlobsAsync([layer], store, TestContext.CancellationToken);
        await giveUp.CancelAsync();
        cancelled.Set();

        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        await second;
        Assert.IsTrue(store.Contains(layer.Descriptor.Digest));
        Assert.AreEqual(2, blobRequests, "the waiting caller downloaded the layer again itself");
    }
}
