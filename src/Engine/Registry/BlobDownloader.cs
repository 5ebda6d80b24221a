using System.Net;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Registry;

/// <summary>
/// Streams a blob from a repository into the store, which verifies its digest before it appears.
/// The descriptor's size is enforced as containerd does ("unexpected commit size"): at most that
/// many bytes are read (one more shows a body that is too long), and a body of another length is
/// refused, blaming the document that described it.
/// </summary>
internal static class BlobDownloader
{
    /// <summary>Returns the bytes written, 0 when the store already had the blob.</summary>
    /// <param name="describedBy">The document the descriptor comes from, for errors: "the manifest of 127.0.0.1:5000/app:1".</param>
    public static async Task<long> DownloadAsync(RegistryClient client, string repository, Descriptor descriptor, string describedBy, BlobStore store, CancellationToken cancellationToken)
    {
        var digest = descriptor.Digest;
        string where = $"{client.Registry}/{repository}";
        if (descriptor.Size < 0) throw SizeMismatch(descriptor, describedBy, where, $"a negative size ({descriptor.Size})");
        if (store.Contains(digest))
        {
            long stored = store.SizeOf(digest);
            if (stored != descriptor.Size) throw SizeMismatch(descriptor, describedBy, where, $"{stored} bytes (the copy already in the store, verified by its digest)");
            return 0;
        }
        return await client.RunAsync($"Downloading {digest} from {where}", async ct =>
        {
            using var response = await client.SendAsync(
                baseUri => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v2/{repository}/blobs/{digest}")),
                [RepositoryScope.Pull(repository)], ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ContainerizeException(ErrorCodes.ImageNotFound,
                    $"The blob {digest} was not found in {where}. The image may have been deleted or overwritten; resolve the base image again.");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await client.UnexpectedAnswerAsync(response, $"Downloading {digest} from {where}", ct).ConfigureAwait(false);
            }
            if (response.Content.Headers.ContentLength is { } announced && announced != descriptor.Size)
            {
                throw SizeMismatch(descriptor, describedBy, where, $"{announced} bytes (its Content-Length)");
            }
            await using var body = await client.OpenBodyAsync(response, ct).ConfigureAwait(false);
            using var writer = store.CreateWriter(digest.Algorithm);
            long received = await CopyAtMostAsync(body, writer, descriptor.Size + 1, ct).ConfigureAwait(false);
            if (received != descriptor.Size)
            {
                throw SizeMismatch(descriptor, describedBy, where, received > descriptor.Size ? "more bytes than that" : $"{received} bytes");
            }
            try
            {
                writer.Commit(digest);
            }
            catch (ContainerizeException e) when (e.Code == ErrorCodes.BlobDigestMismatch)
            {
                throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                    $"The blob {digest} downloaded from {where} does not match its digest: the registry's copy is corrupt or it was changed in transit. Nothing was stored.", e);
            }
            return writer.BytesWritten;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies until the source ends or <paramref name="limit"/> bytes have passed; returns the count.</summary>
    private static async Task<long> CopyAtMostAsync(Stream source, Stream destination, long limit, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        while (total < limit)
        {
            int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total)), ct).ConfigureAwait(false);
            if (read == 0) break;
            await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            total += read;
        }
        return total;
    }

    private static ContainerizeException SizeMismatch(Descriptor descriptor, string describedBy, string where, string actual) =>
        new(ErrorCodes.BlobSizeMismatch,
            $"The blob {descriptor.Digest} is {descriptor.Size} bytes according to {describedBy}, but {where} serves {actual}: "
            + "the image's manifest is wrong about it, or the registry's copy is. Nothing was stored; push the image again with a correct manifest, or use another image.");
}
