namespace Containerize.Engine.Tests.Copy;

/// <summary>A big file streams through: allocations stay far below its size.</summary>
[TestCategory("Stress")]
[TestClass]
[DoNotParallelize]
public class CopyLargeFileTests
{
    [TestMethod]
    public void A200MegabyteFileIsCopiedWithFlatMemory()
    {
        const long size = 200L * 1024 * 1024;
        using var f = new CopyFixture();
        using (var file = File.Create(f.PathIn("big.bin")))
        {
            byte[] chunk = new byte[1 << 20];
            new Random(42).NextBytes(chunk);
            for (long written = 0; written < size; written += chunk.Length) file.Write(chunk);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var layer = f.Copy("/data/", "big.bin");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.IsLessThan(size / 10, allocated, $"{allocated / 1024 / 1024} MB allocated to copy a 200 MB file");
        Assert.AreEqual(size.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Entries(layer)["data/big.bin"].Size);
    }
}
