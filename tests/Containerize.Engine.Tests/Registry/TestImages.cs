using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Tests.Registry;

/// <summary>Tiny real images: one gzip tar layer holding one file, a config and a manifest.</summary>
internal static class TestImages
{
    /// <summary>An image whose layer holds <c>hello.txt</c> with <paramref name="text"/> and <paramref name="randomBytes"/> incompressible bytes.</summary>
    public static BuiltImage Create(BlobStore store, string text, string architecture = "amd64", int randomBytes = 0,
        string manifestMediaType = MediaTypes.OciManifest)
    {
        var (layer, diffId) = Layer(text, randomBytes);
        var layerDigest = store.Put(layer);
        var config = new ImageConfig
        {
            Architecture = architecture,
            Os = "linux",
            Config = new ContainerConfig { Cmd = ["cat", "/hello.txt"] },
            RootFs = new RootFs { DiffIds = [diffId] },
        };
        byte[] configBytes = OciJson.Serialize(config);
        bool docker = manifestMediaType == MediaTypes.DockerManifest;
        var layerDescriptor = new Descriptor { MediaType = docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, Digest = layerDigest, Size = layer.Length };
        var manifest = new ImageManifest
        {
            MediaType = manifestMediaType,
            Config = new Descriptor { MediaType = docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Digest = Digest.Sha256(configBytes), Size = configBytes.Length },
            Layers = [layerDescriptor],
        };
        byte[] manifestBytes = OciJson.Serialize(manifest);
        return new BuiltImage
        {
            Manifest = manifest,
            ManifestBytes = manifestBytes,
            ManifestDigest = Digest.Sha256(manifestBytes),
            Config = config,
            ConfigBytes = configBytes,
            Layers = [new Layer(layerDescriptor, diffId)],
        };
    }

    /// <summary>The same image with every layer marked as coming from <paramref name="origin"/>.</summary>
    public static BuiltImage WithOrigin(BuiltImage image, ImageReference origin) =>
        image with { Layers = image.Layers.Select(l => l with { Origin = origin }).ToList() };

    private static (byte[] Gzip, Digest DiffId) Layer(string text, int randomBytes)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            Add(writer, "hello.txt", Encoding.UTF8.GetBytes(text));
            if (randomBytes > 0)
            {
                var noise = new byte[randomBytes];
                new Random(text.GetHashCode()).NextBytes(noise);
                Add(writer, "noise.bin", noise);
            }
        }
        byte[] tarBytes = tar.ToArray();
        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true)) compressor.Write(tarBytes);
        return (gzip.ToArray(), Digest.Sha256(tarBytes));
    }

    private static void Add(TarWriter writer, string name, byte[] content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        writer.WriteEntry(entry);
    }
}
