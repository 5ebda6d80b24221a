namespace Containerize.Engine.Copy;

/// <summary>
/// An http:// or https:// URL that is not a git repository. The downloaded file is named after the
/// last segment of the URL's path (BuildKit's Dockerfile frontend names it so and never looks at
/// Content-Disposition), or "__unnamed__" when the path has none.
/// </summary>
internal sealed record HttpSource(string Word, Uri Url, string FileName) : RemoteSource(Word)
{
    private const string Unnamed = "__unnamed__";

    public static new HttpSource? TryParse(string word)
    {
        if (!word.StartsWith("http://", StringComparison.Ordinal) && !word.StartsWith("https://", StringComparison.Ordinal)) return null;
        if (!Uri.TryCreate(word, UriKind.Absolute, out var url)) return null;
        return new HttpSource(word, url, FileNameOf(url));
    }

    /// <summary>The last non-empty segment of the unescaped path (Go's path.Base).</summary>
    private static string FileNameOf(Uri url)
    {
        string path = Uri.UnescapeDataString(url.AbsolutePath).TrimEnd('/');
        string name = path[(path.LastIndexOf('/') + 1)..];
        return name is "" or "." or ".." ? Unnamed : name;
    }

    /// <summary>Masks the password of a URL's user information ("user:pass@host" becomes "user:xxxxx@host").</summary>
    public static string Redact(string word)
    {
        if (!Uri.TryCreate(word, UriKind.Absolute, out var url) || !url.UserInfo.Contains(':')) return word;
        string user = url.UserInfo[..url.UserInfo.IndexOf(':')];
        int at = word.IndexOf(url.UserInfo + "@", StringComparison.Ordinal);
        return at < 0 ? word : word[..at] + user + ":xxxxx@" + word[(at + url.UserInfo.Length + 1)..];
    }
}
