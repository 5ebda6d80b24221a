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
/// The copy fallback (a copy of the stacked layers, a snapshot, a snapshot diff) forced on a machine
/// where overlay works, so the same Dockerfile is built both ways and its RUN layers compared entry
/// by entry (name, type, mode, owner, size, link target, content), on a busybox base from a real
/// registry, in real namespaces.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class DockerfileRunCopyFallbackTests : IDisposable
{
    private readonly TempDirectory _temp = new("ctz-run-copy");

    public DockerfileRunCopyFallbackTests() => Directory.CreateDirectory(Context);

    private string Context => _temp.Combine("context");

    public void Dispose() => _temp.Dispose();

    private string Dockerfile => $"""
        FROM {SharedBusybox.Image}
        RUN mkdir -p /r/sub /owned /same && echo old > /r/sub/x && echo keep > /keep && echo a > /a && ln -s /a /link \
            && chown app:app /owned && echo h > /h1 && ln /h1 /h2 && mkfifo /fifo && echo s > /same/s
        RUN echo new > /created && echo more >> /keep && rm /a && rm -r /r && mkdir /r && echo fresh > /r/y \
            && chmod 700 /owned && ln /keep /keep2 && ln -sf /created /link && rm /etc/group && rm /h2 \
            && rm /same/s && mkdir /same/s && chmod 4755 /created
        USER app
        RUN echo mine > /tmp/mine && mkdir /tmp/dir && echo other > /tmp/dir/f
        """;

    [TestMethod]
    public async Task TheCopyFallbackGivesTheLayersOverlayGives()
    {
        var overlay = await BuildAsync(Dockerfile, RootfsMode.Overlay, "overlay");
        var copy = await BuildAsync(Dockerfile, RootfsMode.Copy, "copy");

        Assert.HasCount(overlay.Result.Image.Layers.Count, copy.Result.Image.Layers);
        for (int i = overlay.Result.Image.Layers.Count - 3; i < overlay.Result.Image.Layers.Count; i++)
        {
            var expected = Entries(overlay.Store, overlay.Result.Image.Layers[i]);
            var actual = Entries(copy.Store, copy.Result.Image.Layers[i]);
            CollectionAssert.AreEqual(expected.Keys.ToList(), actual.Keys.ToList(),
                $"layer {i}: overlay [{string.Join(", ", expected.Keys)}] copy [{string.Join(", ", actual.Keys)}]");
            foreach (var (name, entry) in expected)
            {
                var other = actual[name];
                Assert.AreEqual((entry.Mode, entry.Owner, entry.Size, entry.Target), (other.Mode, other.Owner, other.Size, other.Target), $"layer {i}: {name}");
            }
            CollectionAssert.AreEqual(Contents(overlay.Store, overlay.Result.Image.Layers[i]), Contents(copy.Store, copy.Result.Image.Layers[i]), $"layer {i} contents");
        }

        var changes = Entries(copy.Store, copy.Result.Image.Layers[^2]);
        CollectionAssert.IsSubsetOf(new[] { "etc/.wh.group", ".wh.a", ".wh.h2", "r/", "r/.wh..wh..opq", "r/y", "keep2", "same/", "same/s/", "same/s/.wh..wh..opq", "owned/" }, changes.Keys.ToList());
        Assert.AreEqual("keep", changes["keep2"].Target, "a new name of a changed file is a hard link to it");
        Assert.AreEqual("/created", changes["link"].Target);
        Assert.AreEqual("drwx------", changes["owned/"].Mode);
        Assert.AreEqual("1654/1654", changes["owned/"].Owner);
        Assert.AreEqual("-rwsr-xr-x", changes["created"].Mode);
        Assert.IsFalse(changes.Keys.Any(k => k.StartsWith("proc", StringComparison.Ordinal) || k.StartsWith("sys", StringComparison.Ordinal) || k == "etc/hosts"),
            "no helper mount point in the layer: " + string.Join(", ", changes.Keys));
        var user = Entries(copy.Store, copy.Result.Image.Layers[^1]);
        Assert.AreEqual("1654/1654", user["tmp/mine"].Owner, "files a USER creates are theirs");
        Assert.AreEqual(overlay.Result.Image.Layers[^1].DiffId, copy.Result.Image.Layers[^1].DiffId,
            "with SOURCE_DATE_EPOCH the USER step's layer is the same blob either way");
    }

    [TestMethod]
    public async Task TheLogSaysOnceThatTheCopyFallbackIsUsed()
    {
        var log = new TextLog();
        await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN echo one > /one
            RUN echo two > /two
            """, RootfsMode.Copy, "log", log);

        int announcements = log.Text.Split('\n').Count(l => l.Contains("snapshot diff instead of overlay", StringComparison.Ordinal));
        Assert.AreEqual(1, announcements, log.Text);
    }

    [TestMethod]
    public async Task TheCopiedRootsAreRemovedAfterEachStepAlsoWhenItFails()
    {
        var log = new TextLog();
        await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN echo one > /one
            """, RootfsMode.Copy, "clean", log);
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN echo one > /one && exit 4
            """, RootfsMode.Copy, "clean", log));

        Assert.AreEqual(ErrorCodes.RunStepFailed, e.Code);
        const string Marker = "copy fallback root: ";
        var roots = log.Text.Split('\n').Where(l => l.Contains(Marker, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim()).ToList();
        Assert.HasCount(2, roots, log.Text);
        foreach (string root in roots)
        {
            Assert.IsFalse(Directory.Exists(root), $"{root} is removed");
            Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(root)), $"the step's scratch {Path.GetDirectoryName(root)} is removed");
        }
    }

    private async Task<(BuildResult Result, BlobStore Store)> BuildAsync(string dockerfile, RootfsMode mode, string name, TextLog? log = null)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var store = new BlobStore(_temp.Combine("store-" + name));
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        };
        var outputs = new ImageOutputs { RepositoryName = "test/copy", Tags = ["1"], ArchivePath = _temp.Combine($"image-{name}-{Guid.NewGuid():N}.tar") };
        var settings = new BuildSettings { Store = store, Rootfs = mode, Log = log ?? new TextLog() };
        return (await DockerfileImageBuilder.BuildAsync(request, outputs, settings, CancellationToken.None), store);
    }

    private static Dictionary<string, TarListing> Entries(BlobStore store, Layer layer) =>
        ExternalTool.RunChecked("tar", "--numeric-owner", "--full-time", "-tvzf", store.PathFor(layer.Descriptor.Digest))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TarListing.Parse).ToDictionary(e => e.Name);

    /// <summary>Every regular file's content, by name, from GNU tar's own extraction to stdout.</summary>
    private static List<string> Contents(BlobStore store, Layer layer) =>
        [ExternalTool.RunChecked("tar", "-xzOf", store.PathFor(layer.Descriptor.Digest), "--wildcards", "--exclude=*.wh.*", "*")];
}
