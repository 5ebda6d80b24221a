using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

/// <summary>
/// A registry that refuses an upload as corrupted (400 DIGEST_INVALID): blamed on the transfer,
/// with the registry's words, when the local copy is intact; on the store only when it is not.
/// </summary>
[TestCategory("Registry")]
[TestClass]
public sealed class UploadRefusalTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>A registry that has no blob, starts every upload, and refuses the completion of those whose digest has <paramref name="refusedHex"/>.</summary>
    private static ScriptedHttpServer RefusingRegistry(string refusedHex) => new(async (request, stream, ct) =>
    {
        if (request.Path == "/v2/") await ScriptedHttpServer.WriteAsync(stream, 200, "application/json", "{}"u8.ToArray(), ct);
        else if (request.Method == "HEAD") await ScriptedHttpServer.WriteHeadAsync(stream, 404, null, 0, ct);
        else if (request.Method == "POST") await ScriptedHttpServer.WriteHeadAsync(stream, 202, null, 0, ct, ("Location", "/v2/refuse/app/blobs/uploads/1"));
        else if (request.Method == "PUT" && request.Path.Contains(refusedHex, StringComparison.Ordinal))
        {
            await ScriptedHttpServer.WriteAsync(stream, 400, "application/json",
                """{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}"""u8.ToArray(), ct);
        }
        else await ScriptedHttpServer.WriteHeadAsync(stream, 201, null, 0, ct);
    });

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task ARefusedUploadOfAnIntactBlobBlamesTheTransferAndQuotesTheRegistry()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "refused");
        var layer = image.Layers[0].Descriptor.Digest;
        using var server = RefusingRegistry(layer.Hex);
        using var session = TestSessions.Create();

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            session.PushAsync(image, ImageReference.Parse($"{server.Host}/refuse/app:1"), [], store, TestContext.CancellationToken));

        Assert.AreEqual(ErrorCodes.RegistryRefusedUpload, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"{server.Host}/refuse/app");
        StringAssert.Contains(e.Message, layer.ToString());
        StringAssert.Contains(e.Message, "provided digest did not match uploaded content");
        StringAssert.Contains(e.Message, "Push again");
        Assert.IsFalse(e.Message.Contains("clear", StringComparison.OrdinalIgnoreCase), e.Message);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task ARefusedUploadOfABlobCorruptInTheStoreBlamesTheStore()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "corrupt-here");
        var layer = image.Layers[0].Descriptor;
        string path = store.PathFor(layer.Digest);
        File.SetAttributes(path, FileAttributes.Normal);
        File.WriteAllBytes(path, new byte[layer.Size]); // same size, other bytes: damaged on this disk
        using var server = RefusingRegistry(layer.Digest.Hex);
        using var session = TestSessions.Create();

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            session.PushAsync(image, ImageReference.Parse($"{server.Host}/refuse/app:1"), [], store, TestContext.CancellationToken));

        Assert.AreEqual(ErrorCodes.BlobDigestMismatch, e.Code, e.Message);
        StringAssert.Contains(e.Message, "image store is corrupt");
        StringAssert.Contains(e.Message, layer.Digest.ToString());
    }
}
