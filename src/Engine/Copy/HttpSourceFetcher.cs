using Containerize.Engine.IO;
using System.Net;
using System.Security.Cryptography;
using Containerize.Engine.Errors;
using Containerize.Engine.Layers.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// Downloads an ADD URL the way BuildKit's http source does: streamed to a file (never buffered in
/// memory) with mode 0600, its time taken from Last-Modified (the Unix epoch without one), its bytes
/// hashed on the way and checked against --checksum. A status below 200 or from 400 up is an error;
/// redirects are followed.
/// </summary>
internal static class HttpSourceFetcher
{
    public const string TemporaryPrefix = "ctz-http-";
    private const int DownloadMode = 0b110_000_000;

    // One client for every copy: it holds no per-build state and pools connections.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "Containerize" } },
    };

    public static async Task<FetchedSource> FetchAsync(HttpSource source, HttpChecksum? checksum, TimeSpan idleTimeout, CopyErrors errors, CancellationToken ct)
    {
        string directory = ScratchDirectory.CreatePrivate(TemporaryPrefix);
        try
        {
            string file = Path.Combine(directory, source.FileName);
            string digest = await DownloadAsync(source, file, checksum?.Algorithm ?? HashAlgorithmName.SHA256, idleTimeout, errors, ct).ConfigureAwait(false);
            if (checksum is not null && !string.Equals(checksum.Digest, digest, StringComparison.OrdinalIgnoreCase))
            {
                throw errors.Create(ErrorCodes.RemoteChecksumMismatch,
                    $"ADD downloaded '{source.Display}', but its digest is {digest}, not the {checksum.Digest} --checksum expects. " +
                    "The file changed on the server or the checksum is wrong: check the URL, then update --checksum if the new content is trusted.");
            }
            return new FetchedSource(source, file, directory);
        }
        catch
        {
            ScratchDirectory.DeleteTree(directory);
            throw;
        }
    }

    /// <summary>Streams the body to <paramref name="file"/>, sets its time, and returns the body's "algorithm:hex" digest.</summary>
    private static async Task<string> DownloadAsync(HttpSource source, string file, HashAlgorithmName algorithm, TimeSpan idleTimeout, CopyErrors errors, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, source.Url);
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is < 200 or >= 400)
            {
                throw errors.Create(ErrorCodes.RemoteDownloadFailed,
                    $"ADD could not download '{source.Display}': the server answered {status} {response.ReasonPhrase}. Check that the URL is right and publicly reachable from this machine.");
            }
            using var hash = IncrementalHash.CreateHash(algorithm);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0, Options = FileOptions.SequentialScan };
            await using (var output = new FileStream(file, options))
            await using (var body = new IdleTimeoutStream(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), idleTimeout))
            {
                LibC.Chmod(file, DownloadMode);
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
            }
            File.SetLastWriteTimeUtc(file, response.Content.Headers.LastModified?.UtcDateTime ?? DateTime.UnixEpoch);
            return algorithm.Name!.ToLowerInvariant() + ":" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        }
        catch (HttpRequestException e)
        {
            throw errors.Create(ErrorCodes.RemoteDownloadFailed,
                $"ADD could not download '{source.Display}': {e.Message}. Check the URL, the network and any proxy settings (HTTPS_PROXY, NO_PROXY).", e);
        }
        catch (StalledTransferException e) when (!ct.IsCancellationRequested)
        {
            throw errors.Create(ErrorCodes.RemoteDownloadFailed,
                $"ADD could not download '{source.Display}': the server sent {e.Message}. Try again later, or, on a slow network, raise the idle timeout: {NetworkIdleTimeout.Advice}.", e);
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            throw errors.Create(ErrorCodes.RemoteDownloadFailed,
                $"ADD could not download '{source.Display}': {e.Message}. The connection broke or the temporary folder is full; try again.", e);
        }
    }
}
