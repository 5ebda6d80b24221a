using System.Security.Cryptography;
using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using static Containerize.Engine.Tests.Layers.LayerReaders;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Every reader of a layer refuses the same damage with the same error and keeps nothing of it.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class VerifiedLayerStreamTests
{
    private static byte[] Tar() => new HostileTar()
        .Directory("etc")
        .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        .File("etc/big", RandomNumberGenerator.GetBytes(100_000))
        .ToArray();

    private static Digest DiffId(byte[] tar) => Digest.Sha256(tar);

    public static IEnumerable<object[]> Damages()
    {
        foreach (var kind in All)
        {
            yield return [kind, "wrong CRC-32"];
            yield return [kind, "wrong ISIZE"];
            yield return [kind, "truncated trailer"];
            yield return [kind, "truncated after the tar"];
            yield return [kind, "trailing garbage"];
            yield return [kind, "trailing zeros"];
            yield return [kind, "diff ID of another layer"];
        }
    }

    private static (byte[] Blob, Digest DiffId, string Code, string Says) Damage(string damage)
    {
        byte[] tar = Tar();
        byte[] gzip = HostileTar.Gzip(tar);
        return damage switch
        {
            "wrong CRC-32" => (HostileTar.WithTrailerByteFlipped(gzip, 8), DiffId(tar), ErrorCodes.CorruptLayer, "CRC-32"),
            "wrong ISIZE" => (HostileTar.WithTrailerByteFlipped(gzip, 4), DiffId(tar), ErrorCodes.CorruptLayer, "ISIZE"),
            "truncated trailer" => (gzip[..^5], DiffId(tar), ErrorCodes.CorruptLayer, "truncated"),
            // The tar's end marker is whole, the rest of its zero padding and the gzip trailer are gone.
            "truncated after the tar" => (HostileTar.Gzip([.. tar, .. new byte[8192]])[..^12], DiffId([.. tar, .. new byte[8192]]), ErrorCodes.CorruptLayer, "truncated"),
            "trailing garbage" => ([.. gzip, .. "not gzip at all"u8.ToArray()], DiffId(tar), ErrorCodes.CorruptLayer, "not another gzip member"),
            "trailing zeros" => ([.. gzip, .. new byte[1024]], DiffId(tar), ErrorCodes.CorruptLayer, "not another gzip member"),
            "diff ID of another layer" => (gzip, DiffId([.. tar, 0]), ErrorCodes.UnpackedLayerMismatch, "diff ID"),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DynamicData(nameof(Damages))]
    public void ADamagedLayerIsRefusedByEveryReaderAndNothingIsKept(LayerReader reader, string damage)
    {
        using var temp = new TempDirectory("ctz-verified");
        var store = new BlobStore(temp.Combine("store"));
        var (blob, diffId, code, says) = Damage(damage);
        var layer = Put(store, blob, diffId);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => Read(reader, store, layer, temp.Combine("copy"), ["/etc/passwd"]));

        Assert.AreEqual(code, e.Code, e.Message);
        StringAssert.Contains(e.Message, layer.Descriptor.Digest.ToString());
        StringAssert.Contains(e.Message, says);
        CollectionAssert.AreEqual(Array.Empty<string>(), Stored(store, layer).ToArray(), "nothing of the layer is kept as verified");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    [DataRow(LayerReader.Unpack)]
    [DataRow(LayerReader.Index)]
    [DataRow(LayerReader.CopyFrom)]
    public void ConcatenatedGzipMembersAreOneValidLayer(LayerReader reader)
    {
        using var temp = new TempDirectory("ctz-verified");
        var store = new BlobStore(temp.Combine("store"));
        byte[] tar = Tar();
        byte[] blob = [.. HostileTar.Gzip(tar[..1536]), .. HostileTar.Gzip(tar[1536..5000]), .. HostileTar.Gzip(tar[5000..])];
        var layer = Put(store, blob, DiffId(tar));

        Read(reader, store, layer, temp.Combine("copy"));

        string passwd = reader switch
        {
            LayerReader.Unpack => File.ReadAllText(Path.Combine(new UnpackedLayerStore(store).PathFor([layer]), "etc", "passwd")),
            LayerReader.Index => System.Text.Encoding.UTF8.GetString(LayeredImageFileSystem.LoadAsync([layer], store, CancellationToken.None).GetAwaiter().GetResult().ReadFile("/etc/passwd")!),
            _ => File.ReadAllText(temp.Combine("copy/etc/passwd")),
        };
        Assert.AreEqual("root:x:0:0:root:/root:/bin/sh\n", passwd);
    }

    [TestMethod]
    [DataRow(LayerReader.Unpack, "application/vnd.oci.image.layer.v1.tar+zstd")]
    [DataRow(LayerReader.Index, "application/vnd.oci.image.layer.v1.tar+zstd")]
    [DataRow(LayerReader.CopyFrom, "application/vnd.oci.image.layer.v1.tar+zstd")]
    [DataRow(LayerReader.Unpack, "application/vnd.example.not-a-layer")]
    [DataRow(LayerReader.Index, "application/vnd.example.not-a-layer")]
    [DataRow(LayerReader.CopyFrom, "application/vnd.example.not-a-layer")]
    public void AnUnknownLayerMediaTypeIsRefusedByName(LayerReader reader, string mediaType)
    {
        using var temp = new TempDirectory("ctz-verified");
        var store = new BlobStore(temp.Combine("store"));
        byte[] tar = Tar();
        var layer = Put(store, HostileTar.Gzip(tar), DiffId(tar), mediaType);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => Read(reader, store, layer, temp.Combine("copy")));

        Assert.AreEqual(ErrorCodes.UnsupportedLayerMediaType, e.Code);
        StringAssert.Contains(e.Message, mediaType);
        StringAssert.Contains(e.Message, layer.Descriptor.Digest.ToString());
    }

    /// <summary>FROM and <c>containerize run</c> refuse it as soon as the manifest is read, before downloading layers, naming the image.</summary>
    [TestMethod]
    public void ABaseImageWithAnUnknownLayerMediaTypeIsRefusedNamingTheImage()
    {
        var layer = new Descriptor { MediaType = "application/vnd.example.not-a-layer", Digest = Digest.Sha256("x"u8), Size = 1 };
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256([]), Size = 0 },
            Layers = [layer],
        };
        var config = new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [Digest.Sha256([])] } };
        var resolved = new ResolvedImage(ImageReference.Parse("registry.example/team/app:1"), Digest.Sha256([]), manifest, [], config, []);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => BaseImage.From(resolved));

        Assert.AreEqual(ErrorCodes.UnsupportedLayerMediaType, e.Code);
        StringAssert.Contains(e.Message, "registry.example/team/app:1");
        StringAssert.Contains(e.Message, layer.Digest.ToString());
        StringAssert.Contains(e.Message, "application/vnd.example.not-a-layer");
    }

    [TestMethod]
    [DataRow(MediaTypes.OciLayer, false)]
    [DataRow(MediaTypes.OciLayerGzip, true)]
    [DataRow(MediaTypes.DockerLayerGzip, true)]
    [DataRow(MediaTypes.DockerForeignLayerGzip, true)]
    [DataRow(MediaTypes.OciLayerNondistributableGzip, true)]
    [DataRow("application/vnd.oci.image.layer.nondistributable.v1.tar", false)]
    public void EveryKnownLayerMediaTypeIsRead(string mediaType, bool gzip)
    {
        using var temp = new TempDirectory("ctz-verified");
        var store = new BlobStore(temp.Combine("store"));
        byte[] tar = Tar();
        var layer = Put(store, gzip ? HostileTar.Gzip(tar) : tar, DiffId(tar), mediaType);

        foreach (var reader in All) Read(reader, store, layer, temp.Combine($"copy-{reader}"), ["/etc/passwd"]);
    }

    /// <summary>The listing is the index's cache: it must be of a layer verified against the diff ID it is asked for.</summary>
    [TestMethod]
    public void AListingWrittenForOneDiffIdIsNotTrustedForAnother()
    {
        using var temp = new TempDirectory("ctz-verified");
        var store = new BlobStore(temp.Combine("store"));
        byte[] tar = Tar();
        var layer = Put(store, HostileTar.Gzip(tar), DiffId(tar));
        Read(LayerReader.Index, store, layer, temp.Combine("copy"));
        Assert.IsTrue(File.Exists(LayerHeaderListing.PathFor(store, layer.Descriptor.Digest)));

        var lying = layer with { DiffId = DiffId([.. tar, 0]) };
        var e = Assert.ThrowsExactly<ContainerizeException>(() => Read(LayerReader.Index, store, lying, temp.Combine("copy")));

        Assert.AreEqual(ErrorCodes.UnpackedLayerMismatch, e.Code);
    }
}
