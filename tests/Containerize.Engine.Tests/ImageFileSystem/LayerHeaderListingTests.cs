using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Oci;
using static Containerize.Engine.Tests.ImageFileSystem.ImageFsFixture;
using static Containerize.Engine.Tests.Layers.PythonTar;

namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>A layer read once is indexed again from its header listing, without decompressing the layer; a damaged listing is rebuilt.</summary>
[TestCategory("Unit")]
[TestClass]
public class LayerHeaderListingTests
{
    private static Layer Layer(ImageFsFixture fixture) => fixture.PythonLayer(gzip: true,
        new Entry("etc/", "dir", Mode: Convert.ToInt32("755", 8)),
        new Entry("etc/passwd", Content: "root:x:0:0::/root:/bin/sh\n", Mode: Convert.ToInt32("644", 8)),
        new Entry("srv/", "dir", Mode: Convert.ToInt32("750", 8), Uid: 1000, Gid: 1001),
        new Entry("srv/data", Content: new string('d', 70_000), Uid: 1000, Gid: 1001),
        new Entry("srv/link", "symlink", LinkName: "data"),
        new Entry("srv/hard", "link", LinkName: "srv/data"));

    [TestMethod]
    public void TheSecondIndexComesFromTheListingNotFromTheLayer()
    {
        using var fixture = new ImageFsFixture();
        var layer = Layer(fixture);
        var first = fixture.Load(layer);
        Assert.IsTrue(File.Exists(LayerHeaderListing.PathFor(fixture.Store, layer.Descriptor.Digest)));

        // The blob cut short: indexing it from the layer would fail (a corrupt layer).
        string blob = fixture.Store.PathFor(layer.Descriptor.Digest);
        byte[] whole = File.ReadAllBytes(blob);
        File.WriteAllBytes(blob, whole[..20]);
        var second = fixture.Load(layer);
        File.WriteAllBytes(blob, whole);

        foreach (string path in new[] { "/etc", "/etc/passwd", "/srv", "/srv/data", "/srv/link", "/srv/hard" })
        {
            Assert.AreEqual(first.Stat(path), second.Stat(path), path);
        }
        Assert.AreEqual(70_000, second.Stat("/srv/hard")!.Size);
        Assert.AreEqual("root:x:0:0::/root:/bin/sh\n", Text(second.ReadFile("/etc/passwd")), "contents still come from the layer, by entry ordinal");
        Assert.AreEqual(new string('d', 70_000), Text(second.ReadFile("/srv/hard")));
    }

    [TestMethod]
    public void AGarbledListingIsRebuiltFromTheLayer()
    {
        using var fixture = new ImageFsFixture();
        var layer = Layer(fixture);
        var expected = fixture.Load(layer).Stat("/srv/data");
        string listing = LayerHeaderListing.PathFor(fixture.Store, layer.Descriptor.Digest);
        byte[] good = File.ReadAllBytes(listing);

        foreach (byte[] damaged in new[] { good[..(good.Length / 2)], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2], [] })
        {
            File.WriteAllBytes(listing, damaged);
            Assert.AreEqual(expected, fixture.Load(layer).Stat("/srv/data"));
            CollectionAssert.AreEqual(good, File.ReadAllBytes(listing), "written again, whole");
        }
    }
}
