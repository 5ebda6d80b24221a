using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.TestSupport;

/// <summary>Builds a small real image (gzip tar layers, config, manifest) straight into a <see cref="BlobStore"/>.</summary>
public static class SampleImage
{
    /// <summary>Each layer maps file paths (relative, '/'-separated) to their text content.</summary>
    public static BuiltImage Build(BlobStore store, params IReadOnlyDictionary<string, string>[] layers)
    {
        var blobs = layers.Select(files => PutLayer(store, files)).ToList();
        var config = new ImageConfig
        {
            Created = "2024-01-01T00:00:00Z",
            Architecture = "amd64",
            Os = "linux",
            Config = new ContainerConfig
            {
                Env = ["PATH=/usr/local/bin:/usr/bin:/bin", "GREETING=hello"],
                Cmd = ["/bin/sh"],
                WorkingDir = "/app",
                Labels = new SortedDictionary<string, string> { ["org.example.sample"] = "yes" },
            },
            RootFs = new RootFs { DiffIds = blobs.Select(b => b.DiffId).ToList() },
            History = blobs.Select((_, i) => new HistoryEntry { Created = "2024-01-01T00:00:00Z", CreatedBy = $"sample layer {i + 1}" }).ToList(),
        };
        byte[] configBytes = OciJson.Serialize(config);
        var configDigest = store.Put(configBytes);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = configBytes.Length },
            Layers = blobs.Select(b => b.Descriptor).ToList(),
        };
        byte[] manifestBytes = OciJson.Serialize(manifest);
        return new BuiltImage
        {
            Manifest = manifest,
            ManifestBytes = manifestBytes,
            ManifestDigest = Digest.Sha256(manifestBytes),
            Config = config,
            ConfigBytes = configBytes,
            Layers = blobs,
        };
    }

    private static Layer PutLayer(BlobStore store, IReadOnlyDictionary<string, string> files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                });
            }
        }
        var diffId = Digest.Sha256(tar.ToArray());
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(tar.ToArray());
        var digest = store.Put(gzipped.ToArray());
        return new Layer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest, Size = gzipped.Length }, diffId);
    }
}
