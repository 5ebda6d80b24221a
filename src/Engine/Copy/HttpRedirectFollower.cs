using System.Net.Http.Headers;
using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Copy;

/// <summary>
/// Sends the GET of an ADD URL and follows its redirects the way Go's http client (BuildKit's)
/// does: at most 10, a relative Location resolved against the URL that answered it, only to http
/// and https (never file:// or another protocol), and the URL's user information sent as Basic
/// credentials only to the URL's own scheme, host and port. Only a 2xx answer is content; 206 is
/// not (no range was asked for), and neither is a 3xx that cannot be followed.
/// </summary>
internal static class HttpRedirectFollower
{
    public const int MaxRedirects = 10;

    /// <summary>The 2xx response to the URL or to where it redirects; its headers are read (each within the idle timeout), its body is not.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, HttpSource source, TimeSpan idleTimeout, CopyErrors errors, CancellationToken ct)
    {
        var origin = source.Url;
        var credentials = BasicCredentials(origin);
        var current = WithoutUserInfo(origin);
        for (int redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (credentials is not null && IsSameServer(current, origin)) request.Headers.Authorization = credentials;
            var response = await IdleTimedRequest.SendAsync(client, request, idleTimeout, ct).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300 and not 206) return response;
            using (response)
            {
                string at = redirects == 0 ? "" : $" (at {Display(current)}, after {redirects} redirect{(redirects == 1 ? "" : "s")})";
                // As sent, not as .NET would normalize it, so the message shows what the server said.
                string? location = response.Headers.NonValidated.TryGetValues("Location", out var values) ? values.FirstOrDefault() : null;
                if (status is not (301 or 302 or 303 or 307 or 308) || string.IsNullOrWhiteSpace(location))
                {
                    string missing = status is >= 300 and < 400 ? " without a Location to follow" : "";
                    throw errors.Create(ErrorCodes.RemoteDownloadFailed,
                        $"ADD could not download '{source.Display}': the server answered {status} {response.ReasonPhrase}{missing}{at}, and only a 2xx answer is the file. Check that the URL is right and publicly reachable from this machine.");
                }
                if (redirects == MaxRedirects)
                {
                    throw errors.Create(ErrorCodes.RemoteTooManyRedirects,
                        $"ADD could not download '{source.Display}': it still redirects after {MaxRedirects} redirects (the last to '{HttpSource.Redact(location)}'), so it never reaches a file. The server redirects in a loop: use the URL of the file itself.");
                }
                current = Follow(current, location, source, at, errors);
            }
        }
    }

    private static Uri Follow(Uri current, string location, HttpSource source, string at, CopyErrors errors)
    {
        if (!Uri.TryCreate(current, location.Trim(), out var target) || target.Scheme is not ("http" or "https"))
        {
            throw errors.Create(ErrorCodes.RemoteRedirectUnsupported,
                $"ADD could not download '{source.Display}': the server redirected{at} to '{HttpSource.Redact(location)}', which is not an http or https URL. " +
                "ADD follows redirects only to http(s), never to local files or other protocols: use a URL that serves the file over http(s).");
        }
        return WithoutUserInfo(target);
    }

    /// <summary>Basic credentials from "user:password@" in the URL (unescaped, as Go's client sends them), or null without user information.</summary>
    private static AuthenticationHeaderValue? BasicCredentials(Uri url)
    {
        if (url.UserInfo.Length == 0) return null;
        int colon = url.UserInfo.IndexOf(':');
        string user = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
        string password = colon < 0 ? "" : Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
    }

    private static Uri WithoutUserInfo(Uri url) =>
        url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = "", Password = "" }.Uri;

    private static bool IsSameServer(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static string Display(Uri url) => HttpSource.Redact(url.OriginalString);
}
