using System.Net;
using System.Net.Http.Headers;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>
/// Downloads a manifest or index as its exact bytes, with its media type and digest. One fetched
/// through a descriptor must have the descriptor's size; one fetched by tag is capped at 4 MiB,
/// containerd's limit for manifests.
/// </summary>
internal static class ManifestFetcher
{
    internal const int MaxManifestBytes = 4 * 1024 * 1024;

    public sealed record FetchedManifest(byte[] Bytes, string MediaType, Digest Digest);

    /// <param name="descriptor">The index entry the manifest is fetched through, or null for the image's own reference.</param>
    public static Task<FetchedManifest> FetchAsync(RegistryClient client, ImageReference image, Descriptor? descriptor, CancellationToken cancellationToken)
    {
        string reference = descriptor?.Digest.ToString() ?? image.ManifestReference;
        return client.RunAsync($"Getting the manifest of {image}", async ct =>
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
            byte[] bytes = await ReadLimitedAsync(client, response, image, descriptor, ct).ConfigureAwait(false);
            var digest = Digest.TryParse(reference, out var pinned) ? pinned : Digest.Sha256(bytes);
            var actual = digest.Algorithm == "sha256" ? Digest.Sha256(bytes) : Digest.FromHash(digest.Algorithm, System.Security.Cryptography.SHA512.HashData(bytes));
            if (actual != digest)
            {
                throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                    $"The manifest {digest} of {image} served by {image.Registry} hashes to {actual}: it is corrupt or was changed in transit.");
            }
            string mediaType = MediaTypeOf(bytes, response.Content.Headers.ContentType?.MediaType, image);
            return new FetchedManifest(bytes, mediaType, digest);
        }, cancellationToken);
    }

    /// <summary>
    /// The media type the document declares; without one (it is optional in OCI), the registry's
    /// Content-Type, else the document's shape, as containerd decides.
    /// </summary>
    private static string MediaTypeOf(byte[] bytes, string? contentType, ImageReference image)
    {
        var shape = DocumentShape.Read(bytes);
        if (shape is null)
        {
            throw new ContainerizeException(ErrorCodes.InvalidImageDocument,
                $"{image.Registry} answered the manifest request for {image} with something that is not a JSON object (Content-Type '{contentType ?? "none"}'"
                + $"{(bytes.Length > 0 && bytes[0] == (byte)'<' ? ", it looks like an HTML page" : "")}). Check that {image.Registry} is a container registry and not a proxy or login page.");
        }
        string? mediaType = shape.DeclaredMediaType
            ?? (contentType is { } c && (MediaTypes.IsManifest(c) || MediaTypes.IsIndex(c)) ? c : shape.ImpliedMediaType);
        if (mediaType is null || !(MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType)))
        {
            throw new ContainerizeException(ErrorCodes.UnsupportedManifest,
                $"The image {image} has a manifest of type '{mediaType ?? contentType ?? "unknown"}', which is not supported: only OCI and Docker v2 schema 2 manifests and indexes are. Push it again with a current tool.");
        }
        return mediaType;
    }

    private static async Task<byte[]> ReadLimitedAsync(RegistryClient client, HttpResponseMessage response, ImageReference image, Descriptor? descriptor, CancellationToken cancellationToken)
    {
        long limit = descriptor?.Size ?? MaxManifestBytes;
        if (descriptor is { Size: < 0 or > MaxManifestBytes }) throw WrongSize(image, descriptor, $"it says {descriptor.Size} bytes, which no manifest is");
        if (response.Content.Headers.ContentLength is { } announced && (descriptor is null ? announced > limit : announced != limit))
        {
            throw descriptor is null ? TooLarge(image) : WrongSize(image, descriptor, $"the registry announces {announced} bytes");
        }
        await using var stream = await client.OpenBodyAsync(response, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) throw descriptor is null ? TooLarge(image) : WrongSize(image, descriptor, "the registry sends more bytes than that");
        }
        if (descriptor is not null && buffer.Length != limit) throw WrongSize(image, descriptor, $"the registry sends {buffer.Length} bytes");
        return buffer.ToArray();
    }

    private static ContainerizeException TooLarge(ImageReference image) => new(ErrorCodes.ManifestTooLarge,
        $"The manifest of {image} is larger than {MaxManifestBytes / (1024 * 1024)} MiB, the limit for manifests (containerd's too); that is not an image manifest. Check the image reference.");

    private static ContainerizeException WrongSize(ImageReference image, Descriptor descriptor, string problem) => new(ErrorCodes.BlobSizeMismatch,
        $"The index of {image} lists the manifest {descriptor.Digest} as {descriptor.Size} bytes, but {problem}: the index is wrong about it, or the registry's copy is. "
        + "Nothing was stored; push the image again with a correct index, or use another image.");
}
