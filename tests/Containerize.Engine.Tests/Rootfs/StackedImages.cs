using System.IO.Compression;
using System.Text;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Registry;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>Images made of a base image's layers and layers the test writes entry by entry, pushed to a real registry.</summary>
internal static class StackedImages
{
    public static TarEntry Dir(string name, int mode = 0b111_101_101) => new() { Name = name, Type = TarEntryType.Directory, Mode = mode };

    public static (TarEntry, string?) File(string name, string content, int mode = 0b110_100_100) =>
        (new TarEntry { Name = name, Type = TarEntryType.RegularFile, Mode = mode, Size = Encoding.UTF8.GetByteCount(content), MtimeSeconds = 1_600_000_000 }, content);

    public static TarEntry Symlink(string name, string target) => new() { Name = name, Type = TarEntryType.SymbolicLink, Mode = 0b111_111_111, LinkName = target };

    public static TarEntry HardLink(string name, string target) => new() { Name = name, Type = TarEntryType.HardLink, Mode = 0b110_100_100, LinkName = target };

    /// <summary>A layer of entries (content for regular files) in the given order, written to the store.</summary>
    public static Layer Layer(BlobStore store, params (TarEntry Entry, string? Content)[] entries)
    {
        var layer = LayerBlobWriter.Write(store, MediaTypes.OciLayerGzip, CompressionLevel.Fastest, writer =>
        {
            foreach (var (entry, content) in entries)
            {
                using var stream = content is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(content));
                writer.WriteEntry(entry, stream);
            }
        });
        return new Layer(layer.Descriptor, layer.DiffId);
    }

    /// <summary>Pushes <paramref name="baseImage"/> with <paramref name="layers"/> on top to <paramref name="reference"/>.</summary>
    public static async Task PushAsync(BuiltImage baseImage, IReadOnlyList<Layer> layers, BlobStore store, string reference)
    {
        var all = baseImage.Layers.Concat(layers).ToList();
        var config = baseImage.Config with
        {
            RootFs = new RootFs { DiffIds = [.. all.Select(l => l.DiffId)] },
            History = null,
        };
        byte[] configBytes = OciJson.Serialize(config);
        store.Put(configBytes);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(configBytes), Size = configBytes.Length },
            Layers = [.. all.Select(l => l.Descriptor)],
        };
        byte[] manifestBytes = OciJson.Serialize(manifest);
        var image = new BuiltImage
        {
            Manifest = manifest,
            ManifestBytes = manifestBytes,
            ManifestDigest = Digest.Sha256(manifestBytes),
            Config = config,
            ConfigBytes = configBytes,
            Layers = all,
        };
        var parsed = ImageReference.Parse(reference);
        using var session = TestSessions.Create();
        await session.PushAsync(image, parsed, [parsed.Tag ?? "latest"], store, CancellationToken.None);
    }
}
