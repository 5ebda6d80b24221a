using System.IO.Compression;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

[TestCategory("Unit")]
[TestClass]
public class LayerDeterminismTests
{
    private static void WriteTree(LayerFixture f)
    {
        f.WriteFile("app.dll", new string('x', 5000));
        f.WriteFile("wwwroot/css/site.css", "body{}");
        f.WriteFile("appsettings.json", "{}");
        File.CreateSymbolicLink(f.PathIn("current"), "app.dll");
    }

    [TestMethod]
    public void TouchingEveryFileDoesNotChangeTheLayer()
    {
        using var f = new LayerFixture();
        WriteTree(f);
        var before = f.Build();
        foreach (string path in Directory.EnumerateFileSystemEntries(f.Source, "*", SearchOption.AllDirectories))
        {
            ExternalTool.RunChecked("touch", "-h", "-d", "2031-05-06 07:08:09", path);
        }
        var after = f.Build();
        Assert.AreEqual(before.Descriptor.Digest, after.Descriptor.Digest);
        Assert.AreEqual(before.DiffId, after.DiffId);
    }

    [TestMethod]
    public void ACopyInAnotherFolderGivesTheSameDigest()
    {
        using var f = new LayerFixture();
        WriteTree(f);
        string copy = Path.Combine(f.Root, "elsewhere", "deeper", "copy");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        ExternalTool.RunChecked("cp", "-a", f.Source, copy);
        ExternalTool.RunChecked("touch", Path.Combine(copy, "app.dll"));

        Assert.AreEqual(f.Build().Descriptor.Digest, f.Build(source: copy).Descriptor.Digest);
    }

    [TestMethod]
    public void FixedModeStampsEveryEntryWithTheTimestamp()
    {
        using var f = new LayerFixture();
        WriteTree(f);
        var layer = f.Build(new LayerOptions { Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000) });
        foreach (string line in f.List(layer)) StringAssert.Contains(line, "2023-11-14 22:13:20", line);
    }

    [TestMethod]
    public void ClampModeKeepsOlderTimesAndClampsNewerOnes()
    {
        using var f = new LayerFixture();
        f.WriteFile("old.txt");
        f.WriteFile("new.txt");
        ExternalTool.RunChecked("touch", "-d", "@1000000000", f.PathIn("old.txt"));
        ExternalTool.RunChecked("touch", "-d", "@2000000000", f.PathIn("new.txt"));
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1500000000); // SOURCE_DATE_EPOCH

        var layer = f.Build(new LayerOptions { Timestamp = epoch, TimestampMode = TimestampMode.Clamp });

        var lines = f.List(layer);
        StringAssert.Contains(lines.Single(l => l.EndsWith(" old.txt", StringComparison.Ordinal)), "2001-09-09 01:46:40");
        StringAssert.Contains(lines.Single(l => l.EndsWith(" new.txt", StringComparison.Ordinal)), "2017-07-14 02:40:00");
    }

    [TestMethod]
    public void GzipHeaderHasNoTimestampAndAFixedOsByte()
    {
        using var f = new LayerFixture();
        WriteTree(f);
        var layer = f.Build();
        byte[] blob = f.Store.ReadAllBytes(layer.Descriptor.Digest);
        CollectionAssert.AreEqual(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, blob[..8], "magic, deflate, no flags, mtime 0");
        Assert.AreEqual(3, blob[9], "OS byte is Unix wherever the layer is built");
        Assert.AreEqual(blob.Length, layer.Descriptor.Size);
        Assert.AreEqual(Digest.Sha256(blob), layer.Descriptor.Digest);
        using var tar = new MemoryStream();
        new GZipStream(new MemoryStream(blob), CompressionMode.Decompress).CopyTo(tar);
        Assert.AreEqual(Digest.Sha256(tar.ToArray()), layer.DiffId);
    }

    [TestMethod]
    [DataRow(MediaTypes.OciLayerGzip, true)]
    [DataRow(MediaTypes.DockerLayerGzip, true)]
    [DataRow(MediaTypes.OciLayer, false)]
    public void MediaTypeDecidesCompression(string mediaType, bool gzip)
    {
        using var f = new LayerFixture();
        WriteTree(f);
        var layer = f.Build(new LayerOptions { MediaType = mediaType });
        Assert.AreEqual(mediaType, layer.Descriptor.MediaType);
        Assert.AreEqual(gzip, layer.Descriptor.Digest != layer.DiffId, "an uncompressed layer's digest is its diff ID");
        CollectionAssert.AreEqual(new[] { "app.dll", "appsettings.json", "current", "wwwroot/", "wwwroot/css/", "wwwroot/css/site.css" }, f.Names(layer));
    }
}
