using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>
/// The blob side of a push into one repository: existence checks, cross-repository mounts and
/// uploads, monolithic (POST then PUT) or in chunks (PATCH with Content-Range, then PUT).
/// A retried upload starts a new upload session.
/// </summary>
internal sealed class BlobUploader(RegistryClient client, string repository, IReadOnlyCollection<string> scopes, long chunkSize)
{
    private string Where => $"{client.Registry}/{repository}";

    public Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken) =>
        client.RunAsync($"Checking {digest} in {Where}", async ct =>
        {
            using var response = await client.SendAsync(
                baseUri => new HttpRequestMessage(HttpMethod.Head, new Uri(baseUri, $"v2/{repository}/blobs/{digest}")), scopes, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            if (response.IsSuccessStatusCode) return true;
            throw await client.UnexpectedAnswerAsync(response, $"Checking {digest} in {Where}", ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Asks the registry to link a blob from another repository; false when it would rather have it uploaded.</summary>
    public Task<bool> TryMountAsync(Digest digest, string fromRepository, CancellationToken cancellationToken) =>
        client.RunAsync($"Mounting {digest} from {fromRepository} into {Where}", async ct =>
        {
            using var response = await client.SendAsync(baseUri => new HttpRequestMessage(HttpMethod.Post,
                new Uri(baseUri, $"v2/{repository}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}")), scopes, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Created) return true;
            if (response.StatusCode == HttpStatusCode.Accepted) return false; // an upload session we do not use; it expires
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed) return false;
            throw await client.UnexpectedAnswerAsync(response, $"Mounting {digest} into {Where}", ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Uploads <paramref name="size"/> bytes that <paramref name="open"/> reads from the start, each time it is called.</summary>
    public Task UploadAsync(Digest digest, long size, Func<Stream> open, CancellationToken cancellationToken) =>
        client.RunAsync($"Uploading {digest} to {Where}", async ct =>
        {
            Uri location = await StartAsync(digest, ct).ConfigureAwait(false);
            if (chunkSize > 0 && size > chunkSize)
            {
                location = await UploadChunksAsync(digest, size, open, location, ct).ConfigureAwait(false);
                await client.RunAsync($"Completing the upload of {digest} to {Where}",
                    c => FinishAsync(digest, location, open, content: null, c), ct).ConfigureAwait(false);
            }
            else
            {
                await FinishAsync(digest, location, open, () => Content(open(), size), ct).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);

    /// <summary>
    /// Sends the chunks; after a failed chunk, asks the registry how much it has (GET on the
    /// upload, Range header) and resumes from there. Returns the location to complete the upload at.
    /// </summary>
    private async Task<Uri> UploadChunksAsync(Digest digest, long size, Func<Stream> open, Uri location, CancellationToken ct)
    {
        var retry = client.Retry;
        int failures = 0;
        long offset = 0;
        while (offset < size)
        {
            long length = Math.Min(chunkSize, size - offset);
            try
            {
                location = await PatchAsync(digest, location, open, offset, length, ct).ConfigureAwait(false);
                offset += length;
            }
            catch (Exception e) when (RetryPolicy.IsRetryable(e, ct) && failures < retry.MaxRetries)
            {
                await retry.DelayAsync(failures++, e, ct).ConfigureAwait(false);
                while (true)
                {
                    try
                    {
                        (location, offset) = await ProgressAsync(location, offset, ct).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception again) when (RetryPolicy.IsRetryable(again, ct) && failures < retry.MaxRetries)
                    {
                        await retry.DelayAsync(failures++, again, ct).ConfigureAwait(false);
                    }
                }
            }
        }
        return location;
    }

    /// <summary>Where an upload stands: its next location and the offset of the first byte the registry lacks.</summary>
    private async Task<(Uri Location, long Offset)> ProgressAsync(Uri location, long confirmed, CancellationToken ct)
    {
        using var response = await client.SendAsync(_ => new HttpRequestMessage(HttpMethod.Get, location), scopes, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The session is gone: let the whole upload start over.
            throw new IOException($"the upload session at {location} is no longer known ({(int)response.StatusCode})");
        }
        long offset = 0;
        if (response.Headers.TryGetValues("Range", out var ranges) && ranges.FirstOrDefault() is { } range)
        {
            int dash = range.LastIndexOf('-');
            // distribution answers "0-0" for an empty upload as well as for one byte
            if (dash >= 0 && long.TryParse(range[(dash + 1)..], out long end)) offset = end == 0 && confirmed == 0 ? 0 : end + 1;
        }
        return (response.Headers.Location is null ? location : LocationOf(response), offset);
    }

    private async Task<Uri> StartAsync(Digest digest, CancellationToken ct)
    {
        using var response = await client.SendAsync(
            baseUri => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"v2/{repository}/blobs/uploads/")), scopes, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await client.UnexpectedAnswerAsync(response, $"Starting the upload of {digest} to {Where}", ct).ConfigureAwait(false);
        }
        return LocationOf(response);
    }

    private async Task<Uri> PatchAsync(Digest digest, Uri location, Func<Stream> open, long offset, long length, CancellationToken ct)
    {
        using var response = await client.SendAsync(_ =>
        {
            var stream = open();
            stream.Seek(offset, SeekOrigin.Begin);
            var content = Content(new StreamSlice(stream, length), length);
            content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            return new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        }, scopes, ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw await RefusedAsync(response, digest, $"bytes {offset}-{offset + length - 1} of {digest}", open, ct).ConfigureAwait(false);
        }
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await client.UnexpectedAnswerAsync(response, $"Uploading bytes {offset}-{offset + length - 1} of {digest} to {Where}", ct).ConfigureAwait(false);
        }
        return LocationOf(response);
    }

    private async Task<bool> FinishAsync(Digest digest, Uri location, Func<Stream> open, Func<HttpContent>? content, CancellationToken ct)
    {
        var target = new UriBuilder(location);
        string digestParameter = "digest=" + Uri.EscapeDataString(digest.ToString());
        target.Query = string.IsNullOrEmpty(target.Query) || target.Query == "?" ? digestParameter : target.Query[1..] + "&" + digestParameter;
        using var response = await client.SendAsync(
            _ => new HttpRequestMessage(HttpMethod.Put, target.Uri) { Content = content?.Invoke() ?? Content(Stream.Null, 0) }, scopes, ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.BadRequest)
        {
            throw await RefusedAsync(response, digest, digest.ToString(), open, ct).ConfigureAwait(false);
        }
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.OK))
        {
            throw await client.UnexpectedAnswerAsync(response, $"Completing the upload of {digest} to {Where}", ct).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// A 400 to an upload (DIGEST_INVALID, SIZE_INVALID, BLOB_UPLOAD_INVALID): the registry did not
    /// get the bytes that were sent. Only when the local copy no longer hashes to its digest is the
    /// store to blame; otherwise they were damaged on the way, or the registry misbehaves.
    /// </summary>
    private async Task<ContainerizeException> RefusedAsync(HttpResponseMessage response, Digest digest, string what, Func<Stream> open, CancellationToken ct)
    {
        string? message = await RegistryErrorBody.ReadMessageAsync(response, ct).ConfigureAwait(false);
        string said = $"{(int)response.StatusCode} {response.StatusCode}{(message is null ? "" : $" \"{message}\"")}";
        Digest local;
        await using (var stream = open())
        {
            byte[] hash = digest.Algorithm == "sha512"
                ? await SHA512.HashDataAsync(stream, ct).ConfigureAwait(false)
                : await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
            local = Digest.FromHash(digest.Algorithm, hash);
        }
        if (local != digest)
        {
            return new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                $"{Where} refused the upload of {what} ({said}), and rightly: the local copy of {digest} in the image store now hashes to {local}. "
                + "The image store is corrupt; clear it (or set ContainerStorePath to a fresh folder) and build again.");
        }
        return new ContainerizeException(ErrorCodes.RegistryRefusedUpload,
            $"{Where} refused the upload of {what}: it answered {said}. The local copy is intact (it hashes to {digest}), so the bytes were damaged "
            + "on the way (a proxy or a broken connection) or the registry mishandled them. Push again; if it keeps failing, check the proxies between here and the registry.");
    }

    private static StreamContent Content(Stream stream, long length)
    {
        var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        return content;
    }

    private Uri LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new ContainerizeException(ErrorCodes.RegistryRequestFailed,
            $"{Where} started an upload without saying where to send it (no Location header).");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }
}
