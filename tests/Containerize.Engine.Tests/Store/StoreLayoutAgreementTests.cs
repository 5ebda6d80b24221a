using Containerize.Engine.Caching;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Tests.Rootfs;

namespace Containerize.Engine.Tests.Store;

/// <summary>What one part of the engine puts in the store, the pruner finds and removes with its layer.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class StoreLayoutAgreementTests
{
    [TestMethod]
    [DataRow(OverlayWhiteoutFormat.TrustedXattrs)]
    [DataRow(OverlayWhiteoutFormat.UserXattrs)]
    public void TreesUnpackedForRunGoWhenThePrunerRemovesTheirLayer(OverlayWhiteoutFormat format)
    {
        using var f = new RootfsFixture();
        string source = f.Directory("src");
        RootfsFixture.Write(source, "app/file", "content");
        var layer = f.BuildLayer(source);
        var unpacked = new UnpackedLayerStore(f.Store, format);
        string tree = unpacked.GetOrUnpackAsync(layer, CancellationToken.None).GetAwaiter().GetResult();
        var cache = new StepCache(f.Store);
        cache.Put(new StepCacheRecord { Key = Digest.Sha256("step"u8), Layer = layer.Descriptor, DiffId = layer.DiffId, History = "RUN x", Created = "2026-01-01T00:00:00Z" });

        var result = StepCachePruner.TryPrune(cache, 0, CancellationToken.None);

        Assert.AreEqual(1, result!.BlobsRemoved);
        Assert.IsFalse(f.Store.Contains(layer.Descriptor.Digest), "the layer's blob went");
        Assert.IsFalse(Directory.Exists(tree), $"the tree unpacked from it at '{tree}' went with it");
        Assert.IsFalse(unpacked.Contains(layer.DiffId), "the unpacked-layer store no longer finds the layer");
    }
}
