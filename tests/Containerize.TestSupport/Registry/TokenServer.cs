using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Containerize.TestSupport.Registry;

/// <summary>
/// A Docker token-authentication server for tests, in the test process: <c>GET /token?service=&amp;scope=</c>
/// with Basic credentials answers a JWT (RS256, certificate in the <c>x5c</c> header) that grants
/// every requested repository scope to a known user; a wrong password gets 401. Anonymous
/// requests get a token with no access. The signing certificate is written as the registry's
/// <c>rootcertbundle</c>.
/// </summary>
public sealed class TokenServer : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _users;
    private readonly TempDirectory _directory = new("ctz-token");
    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;
    private int _requests;

    public TokenServer(IReadOnlyDictionary<string, string> users)
    {
        _users = users;
        var request = new CertificateRequest("CN=containerize test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(CertificateBundlePath, _certificate.ExportCertificatePem() + "\n");
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 3) { }
        }
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; private set; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    public string Service => "containerize-test-registry";

    public string Issuer => "containerize-test-issuer";

    public string CertificateBundlePath => _directory.Combine("token-ca.pem");

    /// <summary>Token requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var response = context.Response;
        string? user = Authenticate(context.Request.Headers["Authorization"], out bool rejected);
        if (rejected)
        {
            Write(response, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"invalid username or password"}]}""");
            return;
        }
        var scopes = context.Request.QueryString.GetValues("scope") ?? [];
        var access = user is null ? [] : scopes.SelectMany(s => s.Split(' ')).Select(ParseScope).Where(a => a is not null).ToList();
        string token = CreateToken(user ?? "", context.Request.QueryString["service"] ?? Service, access!);
        Write(response, 200, JsonSerializer.Serialize(new { token, access_token = token, expires_in = 300, issued_at = DateTime.UtcNow.ToString("O") }));
    }

    private string? Authenticate(string? header, out bool rejected)
    {
        rejected = false;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        int colon = decoded.IndexOf(':');
        string user = colon < 0 ? decoded : decoded[..colon];
        string password = colon < 0 ? "" : decoded[(colon + 1)..];
        if (_users.TryGetValue(user, out string? expected) && expected == password) return user;
        rejected = true;
        return null;
    }

    private static object? ParseScope(string scope)
    {
        var parts = scope.Split(':');
        if (parts.Length < 3) return null;
        string name = string.Join(':', parts[1..^1]);
        return new { type = parts[0], name, actions = parts[^1].Split(',') };
    }

    private string CreateToken(string subject, string audience, IReadOnlyList<object> access)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "RS256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = subject, aud = audience, exp = now + 300, nbf = now - 10, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        string signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Write(HttpListenerResponse response, int status, string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    public void Dispose()
    {
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _certificate.Dispose();
        _key.Dispose();
        _directory.Dispose();
    }
}
