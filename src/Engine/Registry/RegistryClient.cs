using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Registry;

/// <summary>
/// One registry as seen by a session: how to reach it (scheme found by pinging <c>/v2/</c>), how
/// it wants to be authenticated, and a <see cref="SendAsync"/> that authenticates each request,
/// authenticates again once on 401, and turns retryable answers into <see cref="TransientRegistryException"/>.
/// </summary>
internal sealed class RegistryClient
{
    private readonly RegistryTransport _transport;
    private readonly CredentialResolver _credentials;
    private readonly BearerTokenProvider _tokens;
    private readonly SemaphoreSlim _pingLock = new(1, 1);
    private Uri? _baseUri;
    private volatile AuthenticationChallenge? _challenge;

    public RegistryClient(string registry, string apiHost, RegistryTransport transport, CredentialResolver credentials, RetryPolicy retry)
    {
        Registry = registry;
        ApiHost = apiHost;
        _transport = transport;
        _credentials = credentials;
        Retry = retry;
        _tokens = new BearerTokenProvider(transport, retry);
    }

    /// <summary>The registry's name in references (<c>docker.io</c>, <c>127.0.0.1:5000</c>).</summary>
    public string Registry { get; }

    /// <summary>The host serving its API.</summary>
    public string ApiHost { get; }

    public RetryPolicy Retry { get; }

    public Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        Retry.RunAsync(Registry, what, operation, cancellationToken);

    /// <summary>
    /// Sends one request built by <paramref name="createRequest"/> from the registry's base URI
    /// (called again for each resend), authorized for <paramref name="scopes"/>. Returns every
    /// answer except 401 (authenticates again once, then throws CTZ2001) and retryable ones (throws
    /// <see cref="TransientRegistryException"/>). The caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> createRequest, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        await EnsurePingedAsync(cancellationToken).ConfigureAwait(false);
        var wanted = new HashSet<string>(scopes, StringComparer.Ordinal);
        bool reauthenticated = false;
        while (true)
        {
            using var request = createRequest(_baseUri!);
            RegistryCredentials? credentials = await AuthorizeAsync(request, wanted, refresh: reauthenticated, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (RetryPolicy.IsUnreachable(e))
            {
                throw Unreachable(e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var challenge = AuthenticationChallenge.Select(ChallengesOf(response));
                string? message = await RegistryErrorBody.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                if (!reauthenticated && challenge is not null && (challenge.IsBearer || credentials is null || _challenge is null))
                {
                    _challenge = challenge;
                    if (challenge.Scope is { } extra) wanted.UnionWith(extra.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    reauthenticated = true;
                    continue;
                }
                credentials ??= challenge is null ? null : await _credentials.ResolveAsync(Registry, cancellationToken).ConfigureAwait(false);
                message ??= await ExplainRefusalAsync(createRequest, wanted, cancellationToken).ConfigureAwait(false);
                throw new ContainerizeException(ErrorCodes.RegistryAuthenticationFailed,
                    $"Authentication to {Registry} failed{(message is null ? "" : $": the registry says \"{message}\"")}. {CredentialAdvice(Registry, credentials)}");
            }
            if (TransientRegistryException.IsTransient(response.StatusCode))
            {
                using (response) throw await TransientRegistryException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
            return response;
        }
    }

    /// <summary>The body of <paramref name="response"/>, failing as a broken connection when it stalls (<see cref="RegistryTransport.IdleTimeout"/>).</summary>
    public Task<Stream> OpenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) => _transport.OpenBodyAsync(response, cancellationToken);

    /// <summary>The error for an answer the caller did not expect: 403 is CTZ2007, anything else CTZ2004.</summary>
    public async Task<ContainerizeException> UnexpectedAnswerAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string? message = await RegistryErrorBody.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
        string said = message is null ? "" : $": \"{message}\"";
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            var credentials = await _credentials.ResolveAsync(Registry, cancellationToken).ConfigureAwait(false);
            return new ContainerizeException(ErrorCodes.RegistryAccessDenied,
                $"{what} was denied by {Registry} (403 Forbidden{said}). {(credentials is null ? "No credentials were found for it; log in with 'docker login " + Registry + "'." : $"The {credentials} lack the permission; check the repository name and the account's rights.")}");
        }
        return new ContainerizeException(ErrorCodes.RegistryRequestFailed,
            $"{what} failed: {Registry} answered {(int)response.StatusCode} {response.StatusCode}{said}.");
    }

    internal static string CredentialAdvice(string registry, RegistryCredentials? credentials) => credentials is null
        ? $"No credentials were found for {registry}: run 'docker login {registry}' (or podman login), or set DOTNET_CONTAINER_REGISTRY_UNAME and DOTNET_CONTAINER_REGISTRY_PWORD."
        : $"Check the {credentials}: log in again with 'docker login {registry}' if the password or token changed.";

    private async Task<RegistryCredentials?> AuthorizeAsync(HttpRequestMessage request, IReadOnlyCollection<string> scopes, bool refresh, CancellationToken cancellationToken)
    {
        var challenge = _challenge;
        if (challenge is null) return null;
        // Credentials go only to the registry itself, never to a host an upload Location points elsewhere.
        if (!string.Equals(request.RequestUri!.Host, _baseUri!.Host, StringComparison.OrdinalIgnoreCase)) return null;
        var credentials = await _credentials.ResolveAsync(Registry, cancellationToken).ConfigureAwait(false);
        if (challenge.IsBearer)
        {
            string token = await _tokens.GetTokenAsync(Registry, challenge, scopes, credentials, refresh, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (credentials is { HasPassword: true })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        }
        return credentials;
    }

    /// <summary>A HEAD answer has no body: ask again with GET, for the registry's explanation only.</summary>
    private async Task<string?> ExplainRefusalAsync(Func<Uri, HttpRequestMessage> createRequest, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        try
        {
            using var head = createRequest(_baseUri!);
            if (head.Method != HttpMethod.Head) return null;
            using var get = new HttpRequestMessage(HttpMethod.Get, head.RequestUri);
            await AuthorizeAsync(get, scopes, refresh: false, cancellationToken).ConfigureAwait(false);
            using var response = await _transport.SendAsync(get, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : await RegistryErrorBody.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ContainerizeException)
        {
            return null; // a stalled explanation too (IOException)
        }
    }

    private static IEnumerable<string> ChallengesOf(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? values : [];

    private async Task EnsurePingedAsync(CancellationToken cancellationToken)
    {
        if (_baseUri is not null) return;
        await _pingLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_baseUri is not null) return;
            var (baseUri, challenge) = await RunAsync($"Contacting {Registry}", PingAsync, cancellationToken).ConfigureAwait(false);
            _challenge = challenge;
            _baseUri = baseUri;
        }
        finally
        {
            _pingLock.Release();
        }
    }

    /// <summary>Finds the scheme the registry speaks and how it authenticates, from <c>GET /v2/</c>.</summary>
    private async Task<(Uri, AuthenticationChallenge?)> PingAsync(CancellationToken cancellationToken)
    {
        bool loopback = RegistryHost.IsLoopback(ApiHost);
        bool insecure = _transport.IsInsecure(ApiHost) || _transport.IsInsecure(Registry);
        string[] schemes = loopback ? ["http", "https"] : insecure ? ["https", "http"] : ["https"];
        for (int i = 0; i < schemes.Length; i++)
        {
            bool last = i == schemes.Length - 1;
            var baseUri = new Uri($"{schemes[i]}://{ApiHost}/");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/"));
            HttpResponseMessage response;
            try
            {
                response = await _transport.SendAsync(loopback || insecure ? _transport.NonVerifying : _transport.Verifying, request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (RetryPolicy.IsUnreachable(e))
            {
                throw Unreachable(e);
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.SecureConnectionError or HttpRequestError.InvalidResponse
                or HttpRequestError.ResponseEnded && !last)
            {
                continue; // the other scheme is spoken there
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw new ContainerizeException(ErrorCodes.RegistryTlsFailed,
                    $"A secure (TLS) connection to {Registry} cannot be established: {e.InnerException?.Message ?? e.Message}. "
                    + $"If this registry serves plain HTTP or uses an untrusted certificate, add '{Registry}' to ContainerInsecureRegistries "
                    + $"(or to the {RegistryOptions.InsecureRegistriesEnvironmentVariable} environment variable); otherwise trust its certificate authority.", e);
            }
            using (response)
            {
                // A TLS server answers plain HTTP with 400; try the other scheme.
                if (response.StatusCode == HttpStatusCode.BadRequest && !last) continue;
                if (TransientRegistryException.IsTransient(response.StatusCode))
                {
                    throw await TransientRegistryException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
                }
                var challenge = response.StatusCode == HttpStatusCode.Unauthorized ? AuthenticationChallenge.Select(ChallengesOf(response)) : null;
                return (baseUri, challenge);
            }
        }
        throw new ContainerizeException(ErrorCodes.RegistryRequestFailed, $"{Registry} does not answer like a container registry (GET /v2/).");
    }

    private ContainerizeException Unreachable(Exception e) => new(ErrorCodes.RegistryUnreachable,
        $"The registry {Registry} cannot be reached at {ApiHost}: {e.InnerException?.Message ?? e.Message}. "
        + "Check the registry name and port, that the registry is running, and the network and proxy settings.", e);
}
