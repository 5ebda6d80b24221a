using Containerize.Engine.IO.Native;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>
/// A real overlay mount (in a child's own mount namespace) changes a lower tree; the upper
/// directory becomes a layer, and that layer applied on the lower tree gives the merged view.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class OverlayDiffTests
{
    private static string BuildLower(RootfsFixture f)
    {
        string lower = f.Directory("lower");
        RootfsFixture.Write(lower, "a", "a");
        RootfsFixture.Write(lower, "b", "b");
        RootfsFixture.Write(lower, "dir/old1", "1");
        RootfsFixture.Write(lower, "dir/sub/old2", "2");
        RootfsFixture.Write(lower, "keep/k", "k");
        RootfsFixture.Write(lower, "keep/untouched", "u");
        RootfsFixture.Write(lower, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        LibC.Lchown(Path.Combine(lower, "keep"), 10, 20);
        LibC.Chmod(Path.Combine(lower, "keep"), 0b111_101_000);
        return lower;
    }

    [TestMethod]
    public void TheLayerOfAnOverlayUpperRebuildsTheMergedView()
    {
        using var f = new RootfsFixture();
        string lower = BuildLower(f);
        string upper = f.Directory("upper");
        string merged = Path.Combine(f.Root, "merged-view");

        f.Overlay([lower], upper,
            "rm a && echo x > b && rm -rf dir && mkdir dir && touch dir/new && chown 7:8 keep/k && echo more >> etc/passwd"
            + " && ln b b.link && ln -s ../b etc/b.sym && mkfifo pipe && mknod dev-null c 1 3 && mkdir -p new/deep && echo n > new/deep/file"
            + " && chmod 4711 new/deep/file && touch gone-again && rm gone-again",
            merged);

        var diff = f.Diff(upper);

        var entries = f.Entries(diff.Layer);
        CollectionAssert.AreEqual(
            new[] { ".wh.a", "b", "b.link", "dev-null", "dir/", "dir/.wh..wh..opq", "dir/new", "etc/", "etc/b.sym", "etc/passwd", "keep/", "keep/k", "new/", "new/deep/", "new/deep/file", "pipe" },
            f.List(diff.Layer).Select(e => e.Name).ToArray());
        Assert.AreEqual("b", entries["b.link"].Target);
        Assert.AreEqual("7/8", entries["keep/k"].Owner);
        Assert.AreEqual("10/20", entries["keep/"].Owner, "a directory copied up for its child keeps the lower's owner");
        Assert.AreEqual("drwxr-x---", entries["keep/"].Mode);
        Assert.AreEqual("-rws--x--x", entries["new/deep/file"].Mode);

        string applied = f.Directory("applied");
        RootfsFixture.Shell($"cp -a '{lower}/.' '{applied}/'");
        f.Apply(applied, diff.Layer);
        RootfsFixture.AssertSameTree(merged, applied);
    }

    [TestMethod]
    public void UmociUnpacksTheLowerAndTheDiffIntoTheMergedView()
    {
        if (ExternalTool.Find("umoci") is null) Assert.Fail("umoci is missing: install the Debian package umoci (.ci/run does).");
        using var f = new RootfsFixture();
        string lower = BuildLower(f);
        string upper = f.Directory("upper");
        string merged = Path.Combine(f.Root, "merged-view");
        f.Overlay([lower], upper, "rm a && echo x > b && rm -rf dir && mkdir dir && touch dir/new && chown 7:8 keep/k && ln b b.link && mkfifo pipe", merged);
        var layers = new[] { f.BuildLayer(lower), f.Diff(upper).Layer };
        string layout = WriteOciLayout(f, layers);
        string bundle = Path.Combine(f.Root, "bundle");

        ExternalTool.RunChecked("umoci", "unpack", "--image", $"{layout}:run", bundle);

        RootfsFixture.AssertSameTree(merged, Path.Combine(bundle, "rootfs"));
    }

    /// <summary>An OCI image layout with one image of these layers, tagged "run", for tools that read layouts.</summary>
    private static string WriteOciLayout(RootfsFixture f, IReadOnlyList<Layer> layers)
    {
        string layout = f.Directory("layout");
        string blobs = Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256")).FullName;
        foreach (var layer in layers) File.Copy(f.Store.PathFor(layer.Descriptor.Digest), Path.Combine(blobs, layer.Descriptor.Digest.Hex));
        string Put(string json)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
            var digest = Engine.Oci.Digest.Sha256(bytes);
            File.WriteAllBytes(Path.Combine(blobs, digest.Hex), bytes);
            return $"{{\"digest\":\"{digest}\",\"size\":{bytes.Length}";
        }
        string diffIds = string.Join(',', layers.Select(l => $"\"{l.DiffId}\""));
        string config = Put($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{diffIds}]}}}}");
        string layerDescriptors = string.Join(',', layers.Select(l => $"{{\"mediaType\":\"{l.Descriptor.MediaType}\",\"digest\":\"{l.Descriptor.Digest}\",\"size\":{l.Descriptor.Size}}}"));
        string manifest = Put($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",{config[1..]}}},\"layers\":[{layerDescriptors}]}}");
        File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(layout, "index.json"),
            $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",{manifest[1..]},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"run\"}}}}]}}");
        return layout;
    }

    [TestMethod]
    public void AnUntouchedOverlayGivesNoChanges()
    {
        using var f = new RootfsFixture();
        string lower = BuildLower(f);
        string upper = f.Directory("upper");

        f.Overlay([lower], upper, "cat etc/passwd > /dev/null && ls -R > /dev/null", Path.Combine(f.Root, "merged-view"));

        var diff = f.Diff(upper);
        Assert.IsFalse(diff.HasChanges);
        Assert.AreEqual(UpperDiff.EmptyTarDiffId, diff.Layer.DiffId.ToString());
    }

    [TestMethod]
    public void XattrsSetInTheStepTravelAndOverlayOnesDoNot()
    {
        using var f = new RootfsFixture();
        string lower = BuildLower(f);
        string upper = f.Directory("upper");
        string merged = Path.Combine(f.Root, "merged-view");

        // python3 sets xattrs without attr/libcap tools: a capability on a new file, a user xattr on a copied-up one.
        f.Overlay([lower], upper,
            "cp etc/passwd tool && python3 -c \"import os; os.setxattr('tool', 'security.capability', bytes([1,0,0,2,0,4,0,0]+[0]*12)); os.setxattr('keep/untouched', 'user.mark', b'v')\" && rm -rf keep/k",
            merged);

        var diff = f.Diff(upper);

        var entries = f.ReadEntries(diff.Layer).ToDictionary(e => e.Name);
        CollectionAssert.AreEquivalent(new[] { "security.capability" }, entries["tool"].Xattrs!.Keys.ToArray());
        CollectionAssert.AreEquivalent(new[] { "user.mark" }, entries["keep/untouched"].Xattrs!.Keys.ToArray());
        Assert.IsTrue(entries.ContainsKey("keep/.wh.k"));
        Assert.IsTrue(entries.Values.All(e => e.Xattrs is null || e.Xattrs.Keys.All(k => !k.Contains("overlay", StringComparison.Ordinal))));
        string applied = f.Directory("applied");
        RootfsFixture.Shell($"cp -a '{lower}/.' '{applied}/'");
        f.Apply(applied, diff.Layer);
        RootfsFixture.AssertSameTree(merged, applied);
    }
}
