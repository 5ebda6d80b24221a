using System.Net;
using Containerize.Engine.IO;

namespace Containerize.Engine.Registry;

/// <summary>
/// The HTTP clients of a session: one that validates certificates and one, for insecure and
/// loopback registries only, that does not. Redirects are followed (blob downloads are often
/// redirected to storage; .NET drops the Authorization header when it does) and nothing is
/// decompressed, since blobs must arrive byte for byte.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly HashSet<string> _insecure;

    public RegistryTransport(RegistryOptions options)
    {
        IdleTimeout = options.ResolveIdleTimeout();
        _insecure = new HashSet<string>(options.InsecureRegistries.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        if (options.GetEnvironmentVariable(RegistryOptions.InsecureRegistriesEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            foreach (string host in fromEnvironment.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                _insecure.Add(Normalize(host));
            }
        }
        if (options.Handler is { } handler)
        {
            Verifying = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            NonVerifying = Verifying;
        }
        else
        {
            Verifying = new HttpClient(CreateHandler(verifyCertificates: true)) { Timeout = Timeout.InfiniteTimeSpan };
            NonVerifying = new HttpClient(CreateHandler(verifyCertificates: false)) { Timeout = Timeout.InfiniteTimeSpan };
        }
    }

    /// <summary>How long a response may send nothing before it counts as a broken connection.</summary>
    public TimeSpan IdleTimeout { get; }

    public HttpClient Verifying { get; }

    public HttpClient NonVerifying { get; }

    /// <summary>
    /// Sends and waits for the headers, with the client <see cref="ClientFor"/> picks unless given.
    /// Without a request body, headers that take longer than the idle timeout mean a stalled
    /// server; with one, the wait includes the upload, so it is not timed.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await SendAsync(ClientFor(request.RequestUri!), request, cancellationToken).ConfigureAwait(false);

    public async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null) return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await IdleTimedRequest.SendAsync(http, request, IdleTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body of <paramref name="response"/>, failing as a broken connection when it stalls (<see cref="IdleTimeout"/>).</summary>
    public async Task<Stream> OpenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new IdleTimeoutStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), IdleTimeout);

    /// <summary>Configured as insecure (any port given must match).</summary>
    public bool IsInsecure(string hostAndPort) =>
        _insecure.Contains(Normalize(hostAndPort)) || _insecure.Contains(RegistryHost.HostWithoutPort(Normalize(hostAndPort)));

    /// <summary>The client for a URL: certificates are not checked on insecure or loopback hosts.</summary>
    public HttpClient ClientFor(Uri uri)
    {
        string authority = uri.IsDefaultPort ? uri.Host : uri.Authority;
        return IsInsecure(authority) || RegistryHost.IsLoopback(authority) ? NonVerifying : Verifying;
    }

    private static string Normalize(string host)
    {
        string h = host.Trim();
        int scheme = h.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) h = h[(scheme + 3)..];
        return h.TrimEnd('/').ToLowerInvariant();
    }

    private static SocketsHttpHandler CreateHandler(bool verifyCertificates)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };
        if (!verifyCertificates)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        return handler;
    }

    public void Dispose()
    {
        Verifying.Dispose();
        if (!ReferenceEquals(NonVerifying, Verifying)) NonVerifying.Dispose();
    }
}
