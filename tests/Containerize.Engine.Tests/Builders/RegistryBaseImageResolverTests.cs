using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Solver;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Registry;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

[TestCategory("Registry")]
[TestClass]
public class RegistryBaseImageResolverTests
{
    [TestMethod]
    public async Task ThePlannerGetsTheBaseImagesConfigFromTheRegistryOnce()
    {
        using var registry = RegistryServer.StartAnonymous();
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "base");
        using var session = new RegistrySession(new RegistryOptions());
        await session.PushAsync(image, ImageReference.Parse($"{registry.Host}/base/app:1"), ["1"], store, CancellationToken.None);

        var fresh = new BlobStore(dir.Combine("fresh"));
        var resolver = new RegistryBaseImageResolver(session, fresh);
        var platform = Platform.Parse("linux/amd64");
        var config = await resolver.GetConfigAsync($"{registry.Host}/base/app:1", platform, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "cat", "/hello.txt" }, config!.Config!.Cmd!.ToList());

        var resolved = await resolver.ResolveAsync(ImageReference.Parse($"{registry.Host}/base/app:1"), platform, CancellationToken.None);
        Assert.AreEqual(image.ManifestDigest, resolved.ManifestDigest);
        Assert.IsFalse(fresh.Contains(image.Layers[0].Descriptor.Digest), "planning needs no layers");
        var again = await resolver.ResolveAsync(ImageReference.Parse($"{registry.Host}/base/app:1"), platform, CancellationToken.None);
        Assert.AreSame(resolved, again, "one resolution per image and platform");
    }
}
