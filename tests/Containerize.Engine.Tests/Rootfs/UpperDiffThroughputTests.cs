using System.Diagnostics;
using System.IO.Compression;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>
/// Diffing a 200 MB upper directory (two copies of the installed .NET shared runtimes, what a
/// RUN that installs a runtime leaves): prints MB/s and checks memory stays flat. Not run beside
/// other tests: the allocation count is the whole process's.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
[DoNotParallelize]
public sealed class UpperDiffThroughputTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void A200MegabyteUpperDiffsAtDiskAndGzipSpeedWithFlatMemory()
    {
        string dotnetRoot = Path.GetDirectoryName(Path.GetFullPath(new FileInfo(Environment.ProcessPath!).LinkTarget ?? Environment.ProcessPath!))!;
        string shared = Path.Combine(dotnetRoot, "shared");
        if (!Directory.Exists(shared)) Assert.Fail($"No .NET shared runtimes under {dotnetRoot}.");
        using var f = new RootfsFixture();
        string upper = f.Directory("upper");
        long bytes = 0;
        for (int copy = 0; bytes < 200L << 20; copy++)
        {
            string target = Path.Combine(upper, $"usr/share/dotnet{copy}");
            Directory.CreateDirectory(target);
            RootfsFixture.Shell($"cp -a '{shared}' '{target}/'");
            bytes = Directory.EnumerateFiles(upper, "*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length);
        }
        RootfsFixture.Shell($"sync; cat $(find '{upper}' -type f) > /dev/null"); // warm page cache: measure the diff, not the disk

        var gzip = new UpperDiffOptions().Layer;
        foreach (var (name, layerOptions) in new[]
        {
            ("gzip Optimal (default)", gzip),
            ("gzip Fastest", gzip with { CompressionLevel = CompressionLevel.Fastest }),
            ("uncompressed tar", gzip with { MediaType = Engine.Oci.MediaTypes.OciLayer }),
        })
        {
            var options = new UpperDiffOptions { Layer = layerOptions };
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var diff = f.Diff(upper, options);
            watch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            double megabytes = bytes / 1e6;
            TestContext.WriteLine($"{name}: {megabytes:F0} MB in {diff.EntryCount} entries → {diff.Layer.Descriptor.Size / 1e6:F0} MB blob in {watch.Elapsed.TotalSeconds:F2} s = {megabytes / watch.Elapsed.TotalSeconds:F0} MB/s, {allocated / 1e6:F1} MB allocated");
            Assert.IsTrue(diff.HasChanges);
            Assert.IsLessThan(64L << 20, allocated, "memory does not grow with the layer");
        }
    }
}
