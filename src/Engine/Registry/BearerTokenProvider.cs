using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Registry;

/// <summary>
/// Gets registry tokens from the realm a Bearer challenge names (Docker token authentication:
/// GET with service and scopes, Basic credentials if any; OAuth2 refresh-token POST for identity
/// tokens) and caches them per realm, service and scope set until shortly before they expire.
/// </summary>
internal sealed class BearerTokenProvider(RegistryTransport transport, RetryPolicy retry)
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _cache = new();

    public async Task<string> GetTokenAsync(string registry, AuthenticationChallenge challenge, IReadOnlyCollection<string> scopes,
        RegistryCredentials? credentials, bool refresh, CancellationToken cancellationToken)
    {
        string key = $"{challenge.Realm}|{challenge.Service}|{string.Join(' ', scopes.Order(StringComparer.Ordinal))}";
        if (!refresh && _cache.TryGetValue(key, out var cached) && cached.Expires > DateTimeOffset.UtcNow) return cached.Token;

        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new ContainerizeException(ErrorCodes.RegistryAuthenticationFailed,
                $"The registry {registry} asks for a token from '{challenge.Realm}', which is not an HTTP(S) address.");
        }
        var (token, lifetime) = await retry.RunAsync(registry, $"Getting a token for {registry}",
            ct => RequestAsync(registry, realm, challenge.Service, scopes, credentials, ct), cancellationToken).ConfigureAwait(false);
        _cache[key] = (token, DateTimeOffset.UtcNow + (lifetime > ExpiryMargin * 2 ? lifetime - ExpiryMargin : lifetime));
        return token;
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(string registry, Uri realm, string? service,
        IReadOnlyCollection<string> scopes, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        using var request = credentials?.IdentityToken is { } identityToken
            ? RefreshTokenRequest(realm, service, scopes, identityToken)
            : TokenRequest(realm, service, scopes, credentials);
        HttpResponseMessage response;
        try
        {
            response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (RetryPolicy.IsUnreachable(e))
        {
            throw new ContainerizeException(ErrorCodes.RegistryUnreachable,
                $"The token service of {registry} at {realm.GetLeftPart(UriPartial.Authority)} cannot be reached: {e.Message}. Check the network and proxy settings.", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
            {
                string? message = await RegistryErrorBody.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
                throw new ContainerizeException(ErrorCodes.RegistryAuthenticationFailed,
                    $"Authentication to {registry} failed: its token service answered {(int)response.StatusCode}{(message is null ? "" : $" \"{message}\"")}. "
                    + RegistryClient.CredentialAdvice(registry, credentials));
            }
            if (TransientRegistryException.IsTransient(response.StatusCode))
            {
                throw await TransientRegistryException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
            if (!response.IsSuccessStatusCode)
            {
                string? message = await RegistryErrorBody.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
                throw new ContainerizeException(ErrorCodes.RegistryRequestFailed,
                    $"The token service of {registry} answered {(int)response.StatusCode} {response.StatusCode}{(message is null ? "" : ": " + message)}.");
            }
            return Parse(registry, await ReadTokenAsync(registry, response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>A token answer is a small JSON object: its body is read through the idle timeout, and at most 1 MiB of it.</summary>
    private async Task<byte[]> ReadTokenAsync(string registry, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int MaxTokenBytes = 1 << 20;
        await using var body = await transport.OpenBodyAsync(response, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxTokenBytes)
            {
                throw new ContainerizeException(ErrorCodes.RegistryAuthenticationFailed,
                    $"The token service of {registry} answered with more than 1 MiB, which is not a token. Check the registry's authentication settings.");
            }
        }
        return buffer.ToArray();
    }

    private static HttpRequestMessage TokenRequest(Uri realm, string? service, IReadOnlyCollection<string> scopes, RegistryCredentials? credentials)
    {
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] : "");
        if (service is not null) Append(query, "service", service);
        foreach (string scope in scopes) Append(query, "scope", scope);
        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credentials is { HasPassword: true })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        }
        return request;
    }

    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, IReadOnlyCollection<string> scopes, string identityToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", identityToken),
            new("client_id", "containerize"),
            new("scope", string.Join(' ', scopes)),
        };
        if (service is not null) form.Add(new("service", service));
        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static void Append(StringBuilder query, string name, string value)
    {
        if (query.Length > 0) query.Append('&');
        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    private static (string, TimeSpan) Parse(string registry, byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string? token = null;
            foreach (string name in new[] { "token", "access_token" })
            {
                if (root.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } value)
                {
                    token = value;
                    break;
                }
            }
            if (token is null) throw new JsonException("no token or access_token in the answer");
            int seconds = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int s) && s > 0 ? s : 60;
            return (token, TimeSpan.FromSeconds(seconds));
        }
        catch (JsonException e)
        {
            throw new ContainerizeException(ErrorCodes.RegistryAuthenticationFailed,
                $"The token service of {registry} gave an answer that is not a token: {e.Message}.", e);
        }
    }
}
