using System.Net;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Registry;

/// <summary>
/// Pushes a built image: every blob the destination lacks (in parallel), by mount from its
/// origin repository when that is on the same registry (no bytes move, even when the blob is
/// also local), otherwise by upload; then the manifest, once per tag that does not point at it
/// already. A push of an image the registry has in full is HEAD requests only (as containerd's
/// pusher, BuildKit's, does; the .NET SDK puts every tag again).
/// </summary>
internal sealed class ImagePusher(RegistrySession session, RegistryOptions options)
{
    private long _bytesUploaded;
    private int _uploaded, _skipped, _mounted;

    public async Task<PushResult> PushAsync(BuiltImage image, ImageReference destination, IReadOnlyList<string> tags, BlobStore store, CancellationToken cancellationToken)
    {
        foreach (string tag in tags) ImageReference.EnsureValidTag(tag);
        var client = session.ClientFor(destination.Registry);
        var mountSources = image.Layers
            .Where(l => l.Origin is { } o && o.Registry == destination.Registry && o.Repository != destination.Repository)
            .Select(l => l.Origin!.Repository)
            .Distinct()
            .ToList();
        string[] scopes = [RepositoryScope.PullPush(destination.Repository), .. mountSources.Select(RepositoryScope.Pull)];
        var uploader = new BlobUploader(client, destination.Repository, scopes, options.ChunkSize);

        var blobs = new List<Layer> { new(image.Manifest.Config, default, null) };
        blobs.AddRange(image.Layers.DistinctBy(l => l.Descriptor.Digest).Where(l => l.Descriptor.Digest != image.Manifest.Config.Digest));
        await Parallel.ForEachAsync(blobs,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelTransfers), CancellationToken = cancellationToken },
            (blob, ct) => new ValueTask(PushBlobAsync(image, blob, destination, uploader, store, ct))).ConfigureAwait(false);

        var pushedTags = tags.Count > 0 ? tags : destination.Tag is { } t ? [t] : [];
        foreach (string tag in pushedTags) await PutManifestAsync(client, image, destination, tag, scopes, cancellationToken).ConfigureAwait(false);
        if (pushedTags.Count == 0) await PutManifestAsync(client, image, destination, image.ManifestDigest.ToString(), scopes, cancellationToken).ConfigureAwait(false);

        string name = $"{destination.Registry}/{destination.Repository}";
        var references = pushedTags.Select(tag => $"{name}:{tag}").Append($"{name}@{image.ManifestDigest}").ToList();
        foreach (string reference in references) options.Log.Detail($"Pushed {reference}");
        return new PushResult(image.ManifestDigest, references, _bytesUploaded, _uploaded, _skipped, _mounted);
    }

    private async Task PushBlobAsync(BuiltImage image, Layer blob, ImageReference destination, BlobUploader uploader, BlobStore store, CancellationToken ct)
    {
        var digest = blob.Descriptor.Digest;
        if (await uploader.ExistsAsync(digest, ct).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _skipped);
            options.Log.Detail($"{digest}: already in {destination.Registry}/{destination.Repository}");
            return;
        }
        bool isConfig = digest == image.Manifest.Config.Digest;
        bool local = isConfig || store.Contains(digest);
        if (blob.Origin is { } origin && origin.Registry == destination.Registry && origin.Repository != destination.Repository
            && await uploader.TryMountAsync(digest, origin.Repository, ct).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _mounted);
            options.Log.Detail($"{digest}: mounted from {origin.Repository}");
            return;
        }
        if (!local) await session.EnsureBlobsAsync([blob], store, ct).ConfigureAwait(false);

        long size = isConfig ? image.ConfigBytes.Length : store.SizeOf(digest);
        Func<Stream> open = isConfig ? () => new MemoryStream(image.ConfigBytes, writable: false) : () => store.OpenRead(digest);
        await uploader.UploadAsync(digest, size, open, ct).ConfigureAwait(false);
        Interlocked.Add(ref _bytesUploaded, size);
        Interlocked.Increment(ref _uploaded);
        options.Log.Detail($"{digest}: uploaded {size} bytes");
    }

    private async Task PutManifestAsync(RegistryClient client, BuiltImage image, ImageReference destination, string reference,
        IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        // A blob this push had to upload or mount was not in the repository, so no manifest there names this image yet.
        bool repositoryLackedABlob = _uploaded + _mounted > 0;
        if (!repositoryLackedABlob && await PointsAtAsync(client, image, destination, reference, scopes, cancellationToken).ConfigureAwait(false))
        {
            options.Log.Detail($"{destination.Registry}/{destination.Repository}:{reference} is already {image.ManifestDigest}");
            return;
        }
        await client.RunAsync($"Pushing the manifest {destination.Registry}/{destination.Repository}:{reference}", async ct =>
        {
            using var response = await client.SendAsync(baseUri =>
            {
                var content = new ByteArrayContent(image.ManifestBytes);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(image.ManifestMediaType);
                return new HttpRequestMessage(HttpMethod.Put, new Uri(baseUri, $"v2/{destination.Repository}/manifests/{reference}")) { Content = content };
            }, scopes, ct).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent))
            {
                throw await client.UnexpectedAnswerAsync(response, $"Pushing the manifest of {destination.Registry}/{destination.Repository}:{reference}", ct).ConfigureAwait(false);
            }
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                && Digest.TryParse(values.FirstOrDefault(), out var stored) && stored != image.ManifestDigest)
            {
                throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                    $"{destination.Registry} stored the manifest as {stored}, not {image.ManifestDigest}: it rewrote the manifest, so the pushed image is not the built one.");
            }
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="reference"/> (a tag or the digest) already names this very manifest: a HEAD and its Docker-Content-Digest.</summary>
    private static Task<bool> PointsAtAsync(RegistryClient client, BuiltImage image, ImageReference destination, string reference,
        IReadOnlyCollection<string> scopes, CancellationToken cancellationToken) =>
        client.RunAsync($"Checking the manifest {destination.Registry}/{destination.Repository}:{reference}", async ct =>
        {
            using var response = await client.SendAsync(baseUri =>
            {
                var request = new HttpRequestMessage(HttpMethod.Head, new Uri(baseUri, $"v2/{destination.Repository}/manifests/{reference}"));
                request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue(image.ManifestMediaType));
                foreach (string type in MediaTypes.ManifestAccept.Where(t => t != image.ManifestMediaType))
                {
                    request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue(type, 0.5));
                }
                return request;
            }, scopes, ct).ConfigureAwait(false);
            // Anything but a clear "it is this manifest" means the manifest is put, as before.
            return response.IsSuccessStatusCode
                && response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                && Digest.TryParse(values.FirstOrDefault(), out var current) && current == image.ManifestDigest;
        }, cancellationToken);
}
