using Containerize.Engine.Layers;
using Containerize.TestSupport;
using static Containerize.Engine.Tests.Layers.PythonTar;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Broken downloads give CTZ3001 with a clear message, never a raw exception.</summary>
[TestCategory("Unit")]
[TestClass]
public class LayerExtractorCorruptionTests
{
    private static byte[] SampleLayer(TempDirectory temp, bool gzip) =>
        File.ReadAllBytes(Write(temp.Combine(gzip ? "l.tar.gz" : "l.tar"), "pax", gzip,
            new Entry("a.txt", Content: new string('a', 3000)),
            new Entry("b/", "dir", Mode: 0b111_101_101),
            new Entry("b/c.bin", Content: string.Concat(Enumerable.Range(0, 20000).Select(i => (char)('a' + i * 7 % 26))))));

    private static ContainerizeException ExtractBytes(byte[] bytes, string target) =>
        Assert.ThrowsExactly<ContainerizeException>(() =>
            LayerExtractor.ExtractAsync(new MemoryStream(bytes), target, new ExtractOptions(), CancellationToken.None).GetAwaiter().GetResult());

    [TestMethod]
    [DataRow(true, 0.5)]
    [DataRow(true, 0.9)]
    [DataRow(false, 0.3)]
    public void ATruncatedLayerIsReportedAsCorrupt(bool gzip, double keep)
    {
        using var temp = new TempDirectory();
        byte[] layer = SampleLayer(temp, gzip);
        var e = ExtractBytes(layer[..(int)(layer.Length * keep)], temp.Combine("target"));
        Assert.AreEqual(ErrorCodes.CorruptLayer, e.Code);
        StringAssert.Contains(e.Message, "corrupt");
    }

    [TestMethod]
    public void ATarCutBetweenEntriesIsNotMistakenForAComplete()
    {
        using var temp = new TempDirectory();
        byte[] tar = SampleLayer(temp, gzip: false);
        // a.txt: 512 header + 3072 content. Cut right after it, before b/.
        var e = ExtractBytes(tar[..(512 + 3072)], temp.Combine("target"));
        Assert.AreEqual(ErrorCodes.CorruptLayer, e.Code);
        StringAssert.Contains(e.Message, "end-of-archive");
    }

    [TestMethod]
    public void ADamagedHeaderChecksumIsReported()
    {
        using var temp = new TempDirectory();
        byte[] tar = SampleLayer(temp, gzip: false);
        tar[3] ^= 0x20;
        Assert.AreEqual(ErrorCodes.CorruptLayer, ExtractBytes(tar, temp.Combine("target")).Code);
    }

    [TestMethod]
    public void DamagedGzipDataIsReported()
    {
        using var temp = new TempDirectory();
        byte[] layer = SampleLayer(temp, gzip: true);
        for (int i = 20; i < 60; i++) layer[i] = 0xff;
        Assert.AreEqual(ErrorCodes.CorruptLayer, ExtractBytes(layer, temp.Combine("target")).Code);
    }

    [TestMethod]
    [DataRow(new byte[0])]
    [DataRow(new byte[] { 1, 2, 3 })]
    public void GarbageIsReported(byte[] bytes)
    {
        using var temp = new TempDirectory();
        Assert.AreEqual(ErrorCodes.CorruptLayer, ExtractBytes(bytes, temp.Combine("target")).Code);
    }

    [TestMethod]
    public void APartialFileIsRemovedWhenTheLayerEndsInsideIt()
    {
        using var temp = new TempDirectory();
        byte[] tar = SampleLayer(temp, gzip: false);
        string target = temp.Combine("target");
        ExtractBytes(tar[..(512 + 1000)], target);
        Assert.IsFalse(File.Exists(Path.Combine(target, "a.txt")));
    }

    [TestMethod]
    public void CancellationStopsTheExtraction()
    {
        using var temp = new TempDirectory();
        byte[] layer = SampleLayer(temp, gzip: true);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsExactly<TaskCanceledException>(() =>
            LayerExtractor.ExtractAsync(new MemoryStream(layer), temp.Combine("target"), new ExtractOptions(), cancelled.Token).GetAwaiter().GetResult());
    }
}
