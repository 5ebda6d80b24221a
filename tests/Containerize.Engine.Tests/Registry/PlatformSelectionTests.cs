using System.Net.Http.Headers;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

[TestCategory("Registry")]
[TestClass]
public sealed class PlatformSelectionTests
{
    private static RegistryServer s_registry = null!;
    private static TempDirectory s_storeDir = null!;
    private static Containerize.Engine.Oci.BuiltImage s_amd64 = null!, s_arm64 = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task PushAnIndexOfTwoPlatforms(TestContext context)
    {
        s_registry = RegistryServer.StartAnonymous();
        s_storeDir = new TempDirectory();
        var store = new BlobStore(s_storeDir.Path);
        s_amd64 = TestImages.Create(store, "multi", "amd64");
        s_arm64 = TestImages.Create(store, "multi", "arm64");
        using var session = TestSessions.Create();
        var destination = ImageReference.Parse($"{s_registry.Host}/multi/app");
        await session.PushAsync(s_amd64, destination, [], store, context.CancellationToken);
        await session.PushAsync(s_arm64, destination, [], store, context.CancellationToken);

        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                Entry(s_amd64, new Platform { Os = "linux", Architecture = "amd64" }),
                Entry(s_arm64, new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" }),
            ],
        };
        using var http = new HttpClient();
        var content = new ByteArrayContent(OciJson.Serialize(index));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciIndex);
        using var response = await http.PutAsync(new Uri(s_registry.BaseUri, "v2/multi/app/manifests/1.0"), content, context.CancellationToken);
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(context.CancellationToken));
    }

    [ClassCleanup]
    public static void Stop()
    {
        s_registry?.Dispose();
        s_storeDir?.Dispose();
    }

    private static Descriptor Entry(Containerize.Engine.Oci.BuiltImage image, Platform platform) => new()
    {
        MediaType = image.ManifestMediaType, Digest = image.ManifestDigest, Size = image.ManifestBytes.Length, Platform = platform,
    };

    [TestMethod]
    [DataRow("linux/amd64", "amd64")]
    [DataRow("linux/arm64", "arm64")]
    [DataRow("linux/arm64/v8", "arm64")]
    [DataRow("linux/aarch64", "arm64")]
    public async Task ThePlatformAskedForIsChosenFromTheIndex(string platform, string architecture)
    {
        using var dir = new TempDirectory();
        using var session = TestSessions.Create();
        var resolved = await session.ResolveAsync(ImageReference.Parse($"{s_registry.Host}/multi/app:1.0"), Platform.Parse(platform),
            new BlobStore(dir.Path), TestContext.CancellationToken);

        Assert.AreEqual(architecture, resolved.Config.Architecture);
        Assert.AreEqual((architecture == "amd64" ? s_amd64 : s_arm64).ManifestDigest, resolved.ManifestDigest);
    }

    [TestMethod]
    public async Task NoMatchingPlatformListsTheAvailableOnes()
    {
        using var dir = new TempDirectory();
        using var session = TestSessions.Create();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => session.ResolveAsync(
            ImageReference.Parse($"{s_registry.Host}/multi/app:1.0"), Platform.Parse("linux/s390x"), new BlobStore(dir.Path), TestContext.CancellationToken));

        Assert.AreEqual(ErrorCodes.NoMatchingPlatform, e.Code);
        StringAssert.Contains(e.Message, "linux/s390x");
        StringAssert.Contains(e.Message, "linux/amd64, linux/arm64/v8");
    }
}
