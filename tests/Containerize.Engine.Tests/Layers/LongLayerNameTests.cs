using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using static Containerize.Engine.Tests.Layers.LayerReaders;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Names Linux cannot hold (a component over NAME_MAX, a path or link target over PATH_MAX) are a clear error naming the entry and the layer.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class LongLayerNameTests
{
    private static readonly string LongComponent = new('n', 300);
    private static readonly string DeepPath = string.Join('/', Enumerable.Repeat(new string('d', 250), 20)); // 5,019 bytes of 250-byte components

    public static IEnumerable<object[]> Cases()
    {
        foreach (var reader in new[] { LayerReader.Unpack, LayerReader.CopyFrom })
        {
            yield return [reader, "file name over NAME_MAX"];
            yield return [reader, "directory name over NAME_MAX"];
            yield return [reader, "path over PATH_MAX"];
            yield return [reader, "symlink target over PATH_MAX"];
            yield return [reader, "hard link named over NAME_MAX"];
            yield return [reader, "whiteout of a name over NAME_MAX"];
        }
    }

    private static (byte[] Tar, string Entry) Layer(string kind)
    {
        var tar = new HostileTar().File("ok", "fine");
        string entry;
        switch (kind)
        {
            case "file name over NAME_MAX":
                entry = "etc/" + LongComponent;
                tar.Pax(("path", entry)).File("placeholder", "x");
                break;
            case "directory name over NAME_MAX":
                entry = LongComponent + "/";
                tar.Pax(("path", entry)).Directory("placeholder");
                break;
            case "path over PATH_MAX":
                entry = DeepPath + "/file";
                tar.Pax(("path", entry)).File("placeholder", "x");
                break;
            case "symlink target over PATH_MAX":
                entry = "link";
                tar.Pax(("linkpath", "/" + DeepPath)).Symlink("link", "x");
                break;
            case "hard link named over NAME_MAX":
                entry = LongComponent;
                tar.GnuLong('L', entry).HardLink("placeholder", "ok");
                break;
            case "whiteout of a name over NAME_MAX":
                entry = ".wh." + LongComponent;
                tar.GnuLong('L', entry).File("placeholder", "");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
        return (tar.ToArray(), entry);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DynamicData(nameof(Cases))]
    public void ANameLinuxCannotHoldIsACleanErrorNamingTheEntryAndLayer(LayerReader reader, string kind)
    {
        using var temp = new TempDirectory("ctz-longname");
        var store = new BlobStore(temp.Combine("store"));
        var (tar, entry) = Layer(kind);
        var layer = Put(store, HostileTar.Gzip(tar), Digest.Sha256(tar));

        var e = Assert.ThrowsExactly<ContainerizeException>(() => Read(reader, store, layer, temp.Combine("copy")));

        Assert.AreEqual(ErrorCodes.LayerEntryNameTooLong, e.Code, e.Message);
        StringAssert.Contains(e.Message, entry[..Math.Min(40, entry.Length)], "names the entry");
        Assert.IsLessThan(1000, e.Message.Length, "the name is shortened in the message");
        StringAssert.Contains(e.Message, layer.Descriptor.Digest.ToString());
        CollectionAssert.AreEqual(Array.Empty<string>(), Stored(store, layer).ToArray());
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void TheIndexHoldsLongNamesWithoutCrashing()
    {
        using var temp = new TempDirectory("ctz-longname");
        var store = new BlobStore(temp.Combine("store"));
        byte[] tar = new HostileTar().Pax(("path", "etc/" + LongComponent)).File("placeholder", "long")
            .Pax(("path", DeepPath + "/file")).File("placeholder", "deep")
            .Pax(("linkpath", "/" + DeepPath)).Symlink("link", "x").ToArray();
        var layer = Put(store, HostileTar.Gzip(tar), Digest.Sha256(tar));

        var fs = Containerize.Engine.ImageFileSystem.LayeredImageFileSystem.LoadAsync([layer], store, CancellationToken.None).GetAwaiter().GetResult();

        Assert.AreEqual("long", System.Text.Encoding.UTF8.GetString(fs.ReadFile("/etc/" + LongComponent)!));
        Assert.AreEqual("deep", System.Text.Encoding.UTF8.GetString(fs.ReadFile("/" + DeepPath + "/file")!));
        Assert.AreEqual("deep", System.Text.Encoding.UTF8.GetString(fs.ReadFile("/link/file")!), "the symlink with a long target resolves in the image");
    }
}
