using System.Net.Http.Headers;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

/// <summary>
/// Indexes as containerd walks them, served by the real registry: an index of indexes, entries
/// without a platform (judged by their config), and a chain of indexes deeper than the bound.
/// </summary>
[TestCategory("Registry")]
[TestClass]
public sealed class NestedIndexTests
{
    private static RegistryServer s_registry = null!;
    private static TempDirectory s_storeDir = null!;
    private static BuiltImage s_amd64 = null!, s_arm64 = null!;

    public TestContext TestContext { get; set; } = null!;

    private static readonly Platform Amd64 = new() { Os = "linux", Architecture = "amd64" };
    private static readonly Platform Arm64 = new() { Os = "linux", Architecture = "arm64", Variant = "v8" };

    [ClassInitialize]
    public static async Task PushTwoPlatforms(TestContext context)
    {
        s_registry = RegistryServer.StartAnonymous();
        s_storeDir = new TempDirectory();
        var store = new BlobStore(s_storeDir.Path);
        s_amd64 = TestImages.Create(store, "nested", "amd64");
        s_arm64 = TestImages.Create(store, "nested", "arm64");
        using var session = TestSessions.Create();
        var destination = ImageReference.Parse($"{s_registry.Host}/nested/app");
        await session.PushAsync(s_amd64, destination, ["amd64"], store, context.CancellationToken);
        await session.PushAsync(s_arm64, destination, ["arm64"], store, context.CancellationToken);
    }

    [ClassCleanup]
    public static void Stop()
    {
        s_registry?.Dispose();
        s_storeDir?.Dispose();
    }

    private static Descriptor Entry(BuiltImage image, Platform? platform) => new()
    {
        MediaType = image.ManifestMediaType, Digest = image.ManifestDigest, Size = image.ManifestBytes.Length, Platform = platform,
    };

    /// <summary>PUTs an index under <paramref name="reference"/> (a tag, or its digest) and returns its descriptor.</summary>
    private async Task<Descriptor> PutIndexAsync(IReadOnlyList<Descriptor> entries, string? tag = null, Platform? platform = null)
    {
        byte[] bytes = OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries });
        var digest = Digest.Sha256(bytes);
        using var http = new HttpClient();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciIndex);
        using var response = await http.PutAsync(new Uri(s_registry.BaseUri, $"v2/nested/app/manifests/{tag ?? digest.ToString()}"), content, TestContext.CancellationToken);
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        return new Descriptor { MediaType = MediaTypes.OciIndex, Digest = digest, Size = bytes.Length, Platform = platform };
    }

    private async Task<ResolvedImage> ResolveAsync(string tag, string platform)
    {
        using var dir = new TempDirectory();
        using var session = TestSessions.Create();
        return await session.ResolveAsync(ImageReference.Parse($"{s_registry.Host}/nested/app:{tag}"), Platform.Parse(platform), new BlobStore(dir.Path), TestContext.CancellationToken);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task AnIndexOfIndexesIsWalkedToThePlatformsManifest()
    {
        var inner = await PutIndexAsync([Entry(s_amd64, Amd64), Entry(s_arm64, Arm64)]);
        await PutIndexAsync([inner], tag: "of-indexes");

        var resolved = await ResolveAsync("of-indexes", "linux/arm64");

        Assert.AreEqual(s_arm64.ManifestDigest, resolved.ManifestDigest);
        Assert.AreEqual("arm64", resolved.Config.Architecture);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task EntriesWithoutPlatformAreJudgedByTheirConfig()
    {
        await PutIndexAsync([Entry(s_amd64, null), Entry(s_arm64, null)], tag: "no-platform");

        var arm = await ResolveAsync("no-platform", "linux/arm64");
        var amd = await ResolveAsync("no-platform", "linux/amd64");

        Assert.AreEqual(s_arm64.ManifestDigest, arm.ManifestDigest);
        Assert.AreEqual(s_amd64.ManifestDigest, amd.ManifestDigest);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task WithoutAMatchThePlatformsFoundInConfigsAreListed()
    {
        await PutIndexAsync([Entry(s_amd64, null), Entry(s_arm64, null)], tag: "no-platform-listed");

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => ResolveAsync("no-platform-listed", "linux/s390x"));

        Assert.AreEqual(ErrorCodes.NoMatchingPlatform, e.Code);
        StringAssert.Contains(e.Message, "Available platforms: linux/amd64, linux/arm64");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task IndexesNestedDeeperThanTheBoundAreRefusedAsSuch()
    {
        var level = await PutIndexAsync([Entry(s_amd64, Amd64)]);
        for (int depth = 2; depth <= IndexWalker.MaxDepth; depth++) level = await PutIndexAsync([level with { Platform = Amd64 }]);
        await PutIndexAsync([level with { Platform = Amd64 }], tag: "too-deep");

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => ResolveAsync("too-deep", "linux/amd64"));

        Assert.AreEqual(ErrorCodes.IndexTooDeep, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"more than {IndexWalker.MaxDepth} deep");
        StringAssert.Contains(e.Message, $"{s_registry.Host}/nested/app:too-deep");
        Assert.IsFalse(e.Message.Contains("no variant", StringComparison.Ordinal), e.Message);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task IndexesAsDeepAsTheBoundAreWalked()
    {
        var level = await PutIndexAsync([Entry(s_amd64, Amd64)]);
        for (int depth = 2; depth < IndexWalker.MaxDepth; depth++) level = await PutIndexAsync([level with { Platform = Amd64 }]);
        await PutIndexAsync([level], tag: "deep");

        var resolved = await ResolveAsync("deep", "linux/amd64");

        Assert.AreEqual(s_amd64.ManifestDigest, resolved.ManifestDigest);
    }
}
