using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using static Containerize.Engine.Tests.Layers.LayerReaders;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Layers;

/// <summary>A PAX path or link target holding a NUL (which no file system name can) is refused by every reader, as Go's archive/tar refuses it.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class NulInLayerNamesTests
{
    public static IEnumerable<object[]> Cases() =>
        from reader in All
        from key in new[] { "path", "linkpath" }
        select new object[] { reader, key };

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DynamicData(nameof(Cases))]
    public void APaxNameWithANulIsACorruptLayer(LayerReader reader, string key)
    {
        using var temp = new TempDirectory("ctz-nul");
        var store = new BlobStore(temp.Combine("store"));
        byte[] tar = new HostileTar().File("target", "t").Pax((key, "evil\0name")).Symlink("link", "target").ToArray();
        var layer = Put(store, HostileTar.Gzip(tar), Digest.Sha256(tar));

        var e = Assert.ThrowsExactly<ContainerizeException>(() => Read(reader, store, layer, temp.Combine("copy"), ["/link"]));

        Assert.AreEqual(ErrorCodes.CorruptLayer, e.Code, e.Message);
        StringAssert.Contains(e.Message, "NUL");
        StringAssert.Contains(e.Message, layer.Descriptor.Digest.ToString());
    }
}
