namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>The index holds metadata only, so a large layer loads in modest memory.</summary>
[TestCategory("Stress")]
[TestClass]
public class ImageFileSystemScaleTests
{
    private const int Entries = 50_000;

    private const string FiftyThousandFiles = """
        import io, sys, tarfile
        with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT, compresslevel=1) as tar:
            payload = b"x" * 2000
            for i in range(50000):
                info = tarfile.TarInfo(f"usr/share/d{i // 500}/file-{i}.txt")
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
        """;

    [TestMethod]
    [DoNotParallelize]
    public void AFiftyThousandEntryLayerLoadsWithModestMemory()
    {
        using var fixture = new ImageFsFixture();
        var layer = fixture.ScriptedLayer(FiftyThousandFiles);

        long before = GC.GetTotalMemory(forceFullCollection: true);
        var fs = fixture.Load(layer);
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;

        // 50,000 files of 2,000 bytes are 100 MB of content; the index must be a small fraction of that.
        Assert.IsLessThan(40L * 1024 * 1024, retained, $"the index retains {retained} bytes");
        Assert.IsTrue(fs.IsDirectory("/usr/share/d99"));
        Assert.AreEqual(2000, fs.ReadFile($"/usr/share/d99/file-{Entries - 1}.txt")!.Length);
        GC.KeepAlive(fs);
    }
}
