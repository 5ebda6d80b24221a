using System.Net;
using System.Security.Cryptography;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// Downloads an ADD URL the way BuildKit's http source does: streamed to a file (never buffered in
/// memory) with mode 0600, its time taken from Last-Modified (the Unix epoch without one), its bytes
/// hashed on the way and checked against --checksum. Only a 2xx answer is content; redirects are
/// followed as <see cref="HttpRedirectFollower"/> says. The body is stored as served: unlike Go's
/// client (BuildKit's), no encoding is asked for or undone, so a .tar.gz a server labels
/// "Content-Encoding: gzip" stays the .tar.gz its checksum was taken of.
/// </summary>
internal static class HttpSourceFetcher
{
    public const string TemporaryPrefix = "ctz-http-";
    public const int MaxAttempts = 3;
    private const int DownloadMode = 0b110_000_000;

    // One client for every copy: it holds no per-build state and pools connections.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "Containerize" } },
    };

    public static async Task<FetchedSource> FetchAsync(HttpSource source, HttpChecksum? checksum, TimeSpan idleTimeout, CopyErrors errors, CancellationToken ct)
    {
        EnsureStorableName(source, errors);
        string directory = ScratchDirectory.CreatePrivate(TemporaryPrefix);
        try
        {
            string file = Path.Combine(directory, source.FileName);
            string digest = await DownloadWithRetriesAsync(source, file, checksum?.Algorithm ?? HashAlgorithmName.SHA256, idleTimeout, errors, ct).ConfigureAwait(false);
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

    /// <summary>
    /// Downloads again, from the start, when the connection failed or broke before the body's end
    /// (a body shorter than its Content-Length is such a break): what was written is never kept.
    /// </summary>
    private static async Task<string> DownloadWithRetriesAsync(HttpSource source, string file, HashAlgorithmName algorithm, TimeSpan idleTimeout, CopyErrors errors, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await DownloadAsync(source, file, algorithm, idleTimeout, errors, ct).ConfigureAwait(false);
            }
            catch (ContainerizeException e) when (attempt < MaxAttempts && e.InnerException is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                File.Delete(file);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The name from the URL must be a file name Linux can store (BuildKit fails on these too, only later).</summary>
    private static void EnsureStorableName(HttpSource source, CopyErrors errors)
    {
        const int NameMax = 255;
        if (!source.FileName.Contains('\0') && System.Text.Encoding.UTF8.GetByteCount(source.FileName) <= NameMax) return;
        throw errors.Create(ErrorCodes.InvalidRemoteFileName,
            $"ADD cannot name the file downloaded from '{source.Display}': the last segment of the URL's path holds a NUL character or is longer than {NameMax} bytes, " +
            "and the download is named after it. Use a URL whose last path segment is a valid file name.");
    }

    /// <summary>Streams the body to <paramref name="file"/>, sets its time, and returns the body's "algorithm:hex" digest.</summary>
    private static async Task<string> DownloadAsync(HttpSource source, string file, HashAlgorithmName algorithm, TimeSpan idleTimeout, CopyErrors errors, CancellationToken ct)
    {
        try
        {
            using var response = await HttpRedirectFollower.GetAsync(Client, source, idleTimeout, errors, ct).ConfigureAwait(false);
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
