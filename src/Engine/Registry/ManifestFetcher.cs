using System.Net;
using System.Net.Http.Headers;
using Containerize.Engine.Errors;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>Downloads a manifest or index as its exact bytes, with its media type and digest.</summary>
internal static class ManifestFetcher
{
    private const int MaxManifestBytes = 8 * 1024 * 1024;

    public sealed record FetchedManifest(byte[] Bytes, string MediaType, Digest Digest);

    public static Task<FetchedManifest> FetchAsync(RegistryClient client, ImageReference image, string reference, CancellationToken cancellationToken) =>
        client.RunAsync($"Getting the manifest of {image}", async ct =>
        {
            using var response = await client.SendAsync(baseUri =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v2/{image.Repository}/manifests/{reference}"));
                foreach (string type in MediaTypes.ManifestAccept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                return request;
            }, [RepositoryScope.Pull(image.Repository)], ct).ConfigureAwait(false);

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                string? message = await RegistryErrorBody.ReadMessageAsync(response, ct).ConfigureAwait(false);
                throw new ContainerizeException(ErrorCodes.ImageNotFound,
                    $"The image {image.Repository}:{reference} was not found in the registry {image.Registry}{(message is null ? "" : $" (\"{message}\")")}. Check the repository name and the tag or digest.");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await client.UnexpectedAnswerAsync(response, $"Getting the manifest of {image}", ct).ConfigureAwait(false);
            }
            byte[] bytes = await ReadLimitedAsync(response.Content, image, ct).ConfigureAwait(false);
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is null or "application/json" or "text/plain" or "application/octet-stream") mediaType = OciJson.ReadMediaType(bytes);
            if (mediaType is null || !(MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType)))
            {
                throw new ContainerizeException(ErrorCodes.UnsupportedManifest,
                    $"The image {image} has a manifest of type '{mediaType ?? "unknown"}', which is not supported: only OCI and Docker v2 schema 2 manifests and indexes are. Push it again with a current tool.");
            }
            var digest = Digest.TryParse(reference, out var pinned) ? pinned : Digest.Sha256(bytes);
            var actual = digest.Algorithm == "sha256" ? Digest.Sha256(bytes) : Digest.FromHash(digest.Algorithm, System.Security.Cryptography.SHA512.HashData(bytes));
            if (actual != digest)
            {
                throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                    $"The manifest {digest} of {image} served by {image.Registry} hashes to {actual}: it is corrupt or was changed in transit.");
            }
            return new FetchedManifest(bytes, mediaType, digest);
        }, cancellationToken);

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, ImageReference image, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxManifestBytes) throw TooLarge(image);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxManifestBytes) throw TooLarge(image);
        }
        return buffer.ToArray();
    }

    private static ContainerizeException TooLarge(ImageReference image) => new(ErrorCodes.UnsupportedManifest,
        $"The manifest of {image} is larger than {MaxManifestBytes / (1024 * 1024)} MiB; that is not an image manifest.");
}
