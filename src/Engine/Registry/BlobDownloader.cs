using System.Net;
using Containerize.Engine.Errors;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Registry;

/// <summary>Streams a blob from a repository into the store, which verifies its digest before it appears.</summary>
internal static class BlobDownloader
{
    /// <summary>Returns the bytes written, 0 when the store already had the blob.</summary>
    public static async Task<long> DownloadAsync(RegistryClient client, string repository, Digest digest, BlobStore store, CancellationToken cancellationToken)
    {
        if (store.Contains(digest)) return 0;
        return await client.RunAsync($"Downloading {digest} from {client.Registry}/{repository}", async ct =>
        {
            using var response = await client.SendAsync(
                baseUri => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v2/{repository}/blobs/{digest}")),
                [RepositoryScope.Pull(repository)], ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ContainerizeException(ErrorCodes.ImageNotFound,
                    $"The blob {digest} was not found in {client.Registry}/{repository}. The image may have been deleted or overwritten; resolve the base image again.");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await client.UnexpectedAnswerAsync(response, $"Downloading {digest} from {client.Registry}/{repository}", ct).ConfigureAwait(false);
            }
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var writer = store.CreateWriter(digest.Algorithm);
            await body.CopyToAsync(writer, 1 << 16, ct).ConfigureAwait(false);
            try
            {
                writer.Commit(digest);
            }
            catch (ContainerizeException e) when (e.Code == ErrorCodes.BlobDigestMismatch)
            {
                throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                    $"The blob {digest} downloaded from {client.Registry}/{repository} does not match its digest: the registry's copy is corrupt or it was changed in transit. Nothing was stored.", e);
            }
            return writer.BytesWritten;
        }, cancellationToken).ConfigureAwait(false);
    }
}
