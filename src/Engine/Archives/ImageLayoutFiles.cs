using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Archives;

/// <summary>
/// The files of an OCI image layout holding one image: <c>oci-layout</c>, <c>index.json</c> with
/// one entry per name, and the manifest, config and layer blobs under <c>blobs/</c>.
/// </summary>
internal static class ImageLayoutFiles
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    public static List<ArchiveFile> Collect(BuiltImage image, IReadOnlyList<ImageReference> names, BlobStore store, string archivePath)
    {
        var files = new Dictionary<string, ArchiveFile>(StringComparer.Ordinal);
        void Add(ArchiveFile file) => files.TryAdd(file.Name, file);

        Add(ArchiveFile.FromBytes("oci-layout", OciJson.Serialize(new OciLayoutHeader())));
        Add(ArchiveFile.FromBytes("index.json", OciJson.Serialize(Index(image, names))));
        Add(ArchiveFile.FromBytes(BlobPath(image.ManifestDigest), image.ManifestBytes));
        Add(StoredBlob(store, image.Manifest.Config, "the image config", archivePath, null));
        for (int i = 0; i < image.Layers.Count; i++)
        {
            Add(StoredBlob(store, image.Layers[i].Descriptor, $"layer {i + 1} of {image.Layers.Count}", archivePath, image.Layers[i].Origin));
        }
        return files.Values.ToList();
    }

    private static ImageIndex Index(BuiltImage image, IReadOnlyList<ImageReference> names)
    {
        var manifest = new Descriptor { MediaType = image.ManifestMediaType, Digest = image.ManifestDigest, Size = image.ManifestBytes.Length };
        var entries = names
            .DistinctBy(n => n.ToString())
            .OrderBy(n => n.ToString(), StringComparer.Ordinal)
            .Select(name =>
            {
                var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ContainerdNameAnnotation] = name.ToString() };
                if (name.Tag is not null) annotations[RefNameAnnotation] = name.Tag;
                return manifest with { Annotations = annotations };
            })
            .ToList();
        return new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries.Count > 0 ? entries : [manifest] };
    }

    private static ArchiveFile StoredBlob(BlobStore store, Descriptor descriptor, string what, string archivePath, ImageReference? origin)
    {
        if (!store.Contains(descriptor.Digest))
        {
            string from = origin is null ? "" : $" It still lives only in {origin}; pull the base image's layers before exporting.";
            throw new ContainerizeException(ErrorCodes.ArchiveWriteFailed,
                $"The image archive '{Path.GetFullPath(archivePath)}' could not be written: {what} ({descriptor.Digest}) is not in the image store '{store.Root}'.{from}");
        }
        return new ArchiveFile(BlobPath(descriptor.Digest), descriptor.Size, () => store.OpenRead(descriptor.Digest));
    }
}
