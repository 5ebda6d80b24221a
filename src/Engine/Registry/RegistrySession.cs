using System.Collections.Concurrent;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Registry;

/// <summary>
/// The registry client of one build: pulls image metadata and blobs, pushes images. HTTP
/// connections, credentials and tokens are shared across every registry it talks to. Thread-safe.
/// </summary>
public sealed class RegistrySession : IDisposable
{
    private readonly RegistryOptions _options;
    private readonly RegistryTransport _transport;
    private readonly CredentialResolver _credentials;
    private readonly RetryPolicy _retry;
    private readonly ConcurrentDictionary<string, RegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Digest, Lazy<Task>> _downloads = new();

    public RegistrySession(RegistryOptions options)
    {
        _options = options;
        _transport = new RegistryTransport(options);
        _credentials = new CredentialResolver(options.GetEnvironmentVariable, options.ResolveHomeDirectory(), options.Log);
        _retry = new RetryPolicy(Math.Max(0, options.MaxRetries), options.RetryBaseDelay, options.Log);
    }

    /// <summary>
    /// Finds the image for <paramref name="platform"/> (choosing from an index when the reference
    /// names one) and stores its manifest and config, verified, in <paramref name="store"/>.
    /// </summary>
    public async Task<ResolvedImage> ResolveAsync(ImageReference reference, Platform platform, BlobStore store, CancellationToken ct)
    {
        var client = ClientFor(reference.Registry);
        var fetched = await ManifestFetcher.FetchAsync(client, reference, descriptor: null, ct).ConfigureAwait(false);
        if (MediaTypes.IsIndex(fetched.MediaType))
        {
            fetched = await new IndexWalker(client, reference, platform, store, _options.Log).ManifestForAsync(fetched, ct).ConfigureAwait(false);
        }
        var manifest = OciJson.Deserialize<ImageManifest>(fetched.Bytes, $"manifest of {reference}") with { MediaType = fetched.MediaType };
        store.Put(fetched.Bytes);

        await BlobDownloader.DownloadAsync(client, reference.Repository, manifest.Config, $"the manifest of {reference}", store, ct).ConfigureAwait(false);
        byte[] configBytes = store.ReadAllBytes(manifest.Config.Digest);
        var config = OciJson.Deserialize<ImageConfig>(configBytes, $"configuration of {reference}");
        if (!platform.Matches(config.Platform))
        {
            _options.Log.Warning(ErrorCodes.NoMatchingPlatform,
                $"The image {reference} is for {config.Platform}, not for the requested {platform}; it is used as it is.");
        }
        return new ResolvedImage(reference, fetched.Digest, manifest, fetched.Bytes, config, configBytes);
    }

    /// <summary>
    /// Downloads the layers missing from <paramref name="store"/> from their origin repositories, in
    /// parallel. A layer another caller of this session is already downloading is waited for, not
    /// downloaded twice (parallel stages, and the prefetch of base images, ask for the same layers).
    /// </summary>
    public Task EnsureBlobsAsync(IEnumerable<Layer> layers, BlobStore store, CancellationToken ct)
    {
        var missing = layers.Where(l => !store.Contains(l.Descriptor.Digest)).DistinctBy(l => l.Descriptor.Digest).ToList();
        foreach (var layer in missing)
        {
            if (layer.Origin is null)
            {
                throw new ContainerizeException(ErrorCodes.StoreUnavailable,
                    $"The layer {layer.Descriptor.Digest} is neither in the image store '{store.Root}' nor known in a registry. It may have been pruned while the build ran; build again.");
            }
        }
        return Parallel.ForEachAsync(missing,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelTransfers), CancellationToken = ct },
            async (layer, token) => await DownloadOnceAsync(layer, store, token).ConfigureAwait(false));
    }

    private async Task DownloadOnceAsync(Layer layer, BlobStore store, CancellationToken ct)
    {
        var digest = layer.Descriptor.Digest;
        while (true)
        {
            var mine = new Lazy<Task>(() => DownloadAsync(layer, store, ct), LazyThreadSafetyMode.ExecutionAndPublication);
            var shared = _downloads.GetOrAdd(digest, mine);
            try
            {
                await shared.Value.WaitAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && shared != mine)
            {
                // The caller that started it gave up; this one still wants the layer.
            }
            finally
            {
                if (shared == mine || shared.Value.IsCompleted) _downloads.TryRemove(KeyValuePair.Create(digest, shared));
            }
        }
    }

    private async Task DownloadAsync(Layer layer, BlobStore store, CancellationToken ct)
    {
        var origin = layer.Origin!;
        long bytes = await BlobDownloader.DownloadAsync(ClientFor(origin.Registry), origin.Repository, layer.Descriptor, $"the manifest of {origin}", store, ct).ConfigureAwait(false);
        if (bytes > 0) _options.Log.Detail($"{layer.Descriptor.Digest}: downloaded {bytes} bytes from {origin.Registry}/{origin.Repository}");
    }

    /// <summary>Pushes <paramref name="image"/> to the repository of <paramref name="destination"/> under each tag (its own tag when none are given).</summary>
    public Task<PushResult> PushAsync(BuiltImage image, ImageReference destination, IReadOnlyList<string> tags, BlobStore store, CancellationToken ct) =>
        new ImagePusher(this, _options).PushAsync(image, destination, tags, store, ct);

    internal RegistryClient ClientFor(string registry) =>
        _clients.GetOrAdd(registry, r => new RegistryClient(r, r == ImageReference.DockerHub ? "registry-1.docker.io" : r, _transport, _credentials, _retry));

    public void Dispose() => _transport.Dispose();
}
