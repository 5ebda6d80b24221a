using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// Overlay really refused: the temp folder (where each step's upper directory goes) is put on an
/// overlay mount, which the kernel does not accept as an upper directory ("filesystem ... not
/// supported as upperdir"). The build must switch to the copy fallback, say so once with CTZ3014,
/// and still produce the right layers. Root only (it mounts); alone, since it changes TMPDIR.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
[DoNotParallelize]
public sealed class DockerfileRunFallbackWhenOverlayIsRefusedTests : IDisposable
{
    private readonly TempDirectory _temp = new("ctz-run-refused");

    public void Dispose() => _temp.Dispose();

    [TestMethod]
    public async Task AnUpperDirectoryOverlayRefusesSwitchesTheBuildToTheCopyFallbackOnce()
    {
        Assert.AreEqual("0", ExternalTool.RunChecked("id", "-u").Trim(), "this test mounts, so it runs as root");
        string lower = Directory.CreateDirectory(_temp.Combine("lower")).FullName;
        string upper = Directory.CreateDirectory(_temp.Combine("upper")).FullName;
        string work = Directory.CreateDirectory(_temp.Combine("work")).FullName;
        string merged = Directory.CreateDirectory(_temp.Combine("merged")).FullName;
        string context = Directory.CreateDirectory(_temp.Combine("context")).FullName;
        ExternalTool.RunChecked("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={lower},upperdir={upper},workdir={work}", merged);
        string? tmp = Environment.GetEnvironmentVariable("TMPDIR");
        try
        {
            Environment.SetEnvironmentVariable("TMPDIR", merged + "/");
            File.WriteAllText(Path.Combine(context, "Dockerfile"), $"""
                FROM {SharedBusybox.Image}
                RUN echo one > /one && rm /etc/group
                RUN echo two > /two && rm /one
                """);
            var store = new BlobStore(_temp.Combine("store"));
            var log = new TextLog();
            var result = await DockerfileImageBuilder.BuildAsync(
                new DockerfileImageRequest { DockerfilePath = Path.Combine(context, "Dockerfile"), ContextDirectory = context, Platform = Platform.Host },
                new ImageOutputs { RepositoryName = "test/refused", Tags = ["1"], ArchivePath = _temp.Combine("image.tar") },
                new BuildSettings { Store = store, Log = log, Rootfs = RootfsMode.Overlay }, CancellationToken.None);

            var fallback = log.Warnings.Where(w => w.Code == ErrorCodes.RootfsCopyFallback).ToList();
            Assert.HasCount(1, fallback, log.Text);
            StringAssert.Contains(fallback[0].Message, "mount overlay");
            var first = Entries(store, result.Image.Layers[^2]);
            var second = Entries(store, result.Image.Layers[^1]);
            CollectionAssert.AreEquivalent(new[] { "etc/", "etc/.wh.group", "one" }, first.Keys.ToList());
            CollectionAssert.AreEquivalent(new[] { ".wh.one", "two" }, second.Keys.ToList());
            // The .NET runtime's clr-debug-pipe-*/dotnet-diagnostic-* of the exec'd helper are not ours to check here.
            var left = Directory.EnumerateFileSystemEntries(merged).Select(Path.GetFileName)
                .Where(n => n!.StartsWith("containerize-", StringComparison.Ordinal) || n.StartsWith("ctz-", StringComparison.Ordinal)).ToList();
            Assert.IsEmpty(left, "every step's scratch in the temp folder is removed: " + string.Join(", ", left));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", tmp);
            ExternalTool.RunChecked("umount", merged);
        }
    }

    private static Dictionary<string, TarListing> Entries(BlobStore store, Layer layer) =>
        ExternalTool.RunChecked("tar", "--numeric-owner", "--full-time", "-tvzf", store.PathFor(layer.Descriptor.Digest))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TarListing.Parse).ToDictionary(e => e.Name);
}
