using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Registry;

/// <summary>
/// Finds the manifest for a platform below an index, as containerd does: nested indexes are
/// walked (at most <see cref="MaxDepth"/> deep), and an image manifest listed without a
/// <c>platform</c> is judged by the os, architecture and variant of its config. Entries that are
/// not images (attestations, artifacts) never match.
/// </summary>
internal sealed class IndexWalker(RegistryClient client, ImageReference reference, Platform wanted, BlobStore store, IBuildLog log)
{
    public const int MaxDepth = 8;

    private readonly List<Platform> _available = [];

    /// <summary>The manifest below <paramref name="index"/> for the platform; throws CTZ1003 when there is none.</summary>
    public async Task<ManifestFetcher.FetchedManifest> ManifestForAsync(ManifestFetcher.FetchedManifest index, CancellationToken ct) =>
        await SearchAsync(index, depth: 1, ct).ConfigureAwait(false) ?? throw PlatformSelector.NoMatch(reference, wanted, _available);

    private async Task<ManifestFetcher.FetchedManifest?> SearchAsync(ManifestFetcher.FetchedManifest fetched, int depth, CancellationToken ct)
    {
        if (depth > MaxDepth)
        {
            throw new ContainerizeException(ErrorCodes.IndexTooDeep,
                $"The image {reference} nests indexes more than {MaxDepth} deep (at {fetched.Digest}), or an index refers back to itself: "
                + "no image has that many levels. The image is broken; push it again, or use another image.");
        }
        store.Put(fetched.Bytes);
        var index = OciJson.Deserialize<ImageIndex>(fetched.Bytes, $"index {fetched.Digest} of {reference}");

        var withPlatform = index.Manifests.Where(m => m.Platform is not null && MediaTypes.IsManifest(m.MediaType)).ToList();
        _available.AddRange(withPlatform.Select(m => m.Platform!));
        if (PlatformSelector.Choose(withPlatform, m => m.Platform!, wanted) is { } chosen)
        {
            log.Detail($"{reference}: chose {chosen.Digest} for {chosen.Platform}");
            return await FetchAsync(chosen, ct).ConfigureAwait(false);
        }

        foreach (var entry in index.Manifests.Where(m => m.Platform is null && MediaTypes.IsManifest(m.MediaType)))
        {
            var manifest = await FetchAsync(entry, ct).ConfigureAwait(false);
            if (await PlatformOfAsync(manifest, ct).ConfigureAwait(false) is not { } platform) continue;
            _available.Add(platform);
            if (wanted.Matches(platform))
            {
                log.Detail($"{reference}: chose {entry.Digest}, whose config is for {platform}");
                return manifest;
            }
        }

        foreach (var entry in index.Manifests.Where(m => MediaTypes.IsIndex(m.MediaType) && (m.Platform is null || wanted.Matches(m.Platform))))
        {
            var nested = await ManifestFetcher.FetchAsync(client, reference, entry, ct).ConfigureAwait(false);
            if (!MediaTypes.IsIndex(nested.MediaType)) throw NotWhatTheEntrySays(entry, nested);
            if (await SearchAsync(nested, depth + 1, ct).ConfigureAwait(false) is { } found) return found;
        }
        return null;
    }

    private async Task<ManifestFetcher.FetchedManifest> FetchAsync(Descriptor entry, CancellationToken ct)
    {
        var fetched = await ManifestFetcher.FetchAsync(client, reference, entry, ct).ConfigureAwait(false);
        if (!MediaTypes.IsManifest(fetched.MediaType)) throw NotWhatTheEntrySays(entry, fetched);
        return fetched;
    }

    /// <summary>The platform an image manifest's config declares; null for a manifest that is not an image.</summary>
    private async Task<Platform?> PlatformOfAsync(ManifestFetcher.FetchedManifest fetched, CancellationToken ct)
    {
        var manifest = OciJson.Deserialize<ImageManifest>(fetched.Bytes, $"manifest {fetched.Digest} of {reference}");
        if (!MediaTypes.IsConfig(manifest.Config.MediaType)) return null;
        await BlobDownloader.DownloadAsync(client, reference.Repository, manifest.Config, $"the manifest {fetched.Digest} of {reference}", store, ct).ConfigureAwait(false);
        var config = OciJson.Deserialize<ImageConfig>(store.ReadAllBytes(manifest.Config.Digest), $"configuration {manifest.Config.Digest} of {reference}");
        return config.Platform;
    }

    private ContainerizeException NotWhatTheEntrySays(Descriptor entry, ManifestFetcher.FetchedManifest fetched) => new(ErrorCodes.UnsupportedManifest,
        $"The index of {reference} lists {entry.Digest} as a {entry.MediaType}, but it is a {fetched.MediaType}. The index is broken; push the image again.");
}
