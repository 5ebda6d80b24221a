using System.IO.Compression;
using static Containerize.Engine.Tests.Layers.PythonTar;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>Damaged layers and oversized reads fail with a ContainerizeException, never anything else.</summary>
[TestCategory("Unit")]
[TestClass]
public class ImageFileSystemCorruptionTests
{
    private static ContainerizeException LoadFails(ImageFsFixture fixture, byte[] blob)
    {
        var layer = fixture.Add(blob);
        return Assert.ThrowsExactly<ContainerizeException>(() => fixture.Load(layer));
    }

    private static byte[] GoodGzipLayer(ImageFsFixture fixture)
    {
        var layer = fixture.PythonLayer(gzip: true, new Entry("etc/passwd", Content: new string('r', 5000)));
        return fixture.Store.ReadAllBytes(layer.Descriptor.Digest);
    }

    [TestMethod]
    public void CorruptGzipIsACorruptLayer()
    {
        using var fixture = new ImageFsFixture();
        byte[] blob = GoodGzipLayer(fixture);
        for (int i = 20; i < blob.Length - 8; i++) blob[i] ^= 0x5A;

        Assert.AreEqual(ErrorCodes.CorruptLayer, LoadFails(fixture, blob).Code);
    }

    [TestMethod]
    public void TruncatedGzipIsACorruptLayer()
    {
        using var fixture = new ImageFsFixture();
        byte[] blob = GoodGzipLayer(fixture);

        Assert.AreEqual(ErrorCodes.CorruptLayer, LoadFails(fixture, blob[..(blob.Length / 2)]).Code);
    }

    [TestMethod]
    public void GarbageAndEmptyBlobsAreCorruptLayers()
    {
        using var fixture = new ImageFsFixture();

        Assert.AreEqual(ErrorCodes.CorruptLayer, LoadFails(fixture, System.Text.Encoding.ASCII.GetBytes(new string('x', 2000))).Code);
        Assert.AreEqual(ErrorCodes.CorruptLayer, LoadFails(fixture, []).Code);
        using var gzipOfNothing = new MemoryStream();
        using (new GZipStream(gzipOfNothing, CompressionLevel.Fastest, leaveOpen: true)) { }
        Assert.AreEqual(ErrorCodes.CorruptLayer, LoadFails(fixture, gzipOfNothing.ToArray()).Code);
    }

    [TestMethod]
    public void AHardLinkToAMissingFileIsACorruptLayer()
    {
        using var fixture = new ImageFsFixture();
        var layer = fixture.PythonLayer(new Entry("bin/sh", "link", LinkName: "bin/missing"));

        Assert.AreEqual(ErrorCodes.CorruptLayer, Assert.ThrowsExactly<ContainerizeException>(() => fixture.Load(layer)).Code);
    }

    [TestMethod]
    public void ReadingAFileOverSixteenMebibytesIsRefused()
    {
        using var fixture = new ImageFsFixture();
        var fs = fixture.Load(fixture.GnuTarLayer(tree =>
        {
            using var big = File.Create(Path.Combine(tree, "big.bin"));
            big.SetLength(17L * 1024 * 1024);
        }));

        var e = Assert.ThrowsExactly<ContainerizeException>(() => fs.ReadFile("/big.bin"));
        StringAssert.Contains(e.Message, "/big.bin");
        Assert.AreEqual(17L * 1024 * 1024, fs.Stat("/big.bin")!.Size);
    }
}
