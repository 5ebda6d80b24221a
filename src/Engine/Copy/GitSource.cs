using System.Text.RegularExpressions;

namespace Containerize.Engine.Copy;

/// <summary>
/// A git repository named the way BuildKit's gitutil.ParseGitRef recognizes one: a URL with the
/// git://, ssh://, http:// or https:// scheme (http(s) only when the path ends in ".git"), or the
/// scp-like "user@host:path". A fragment "#ref" or "#ref:subdir" picks the branch, tag or commit
/// (the remote's HEAD without one) and the directory of the repository to copy.
/// </summary>
/// <remarks>
/// BuildKit also accepts an scp-like form without "user@" ("host:path"); it is not recognized here,
/// because a local file named "a:b" would otherwise be fetched as a repository.
/// </remarks>
internal sealed partial record GitSource(string Word, string Remote, string? Ref, string? SubDirectory) : RemoteSource(Word)
{
    public static new GitSource? TryParse(string word)
    {
        if (word.StartsWith("./", StringComparison.Ordinal) || word.StartsWith("../", StringComparison.Ordinal)) return null;
        if (SchemePattern().Match(word) is { Success: true } scheme)
        {
            string name = scheme.Groups[1].Value.ToLowerInvariant();
            if (name is not ("git" or "ssh" or "http" or "https")) return null;
            var (remote, fragment) = SplitFragment(word);
            if (!Uri.TryCreate(remote, UriKind.Absolute, out var url)) return null;
            if (name is "http" or "https" && !url.AbsolutePath.EndsWith(".git", StringComparison.Ordinal)) return null;
            return Create(word, remote, fragment);
        }
        if (ScpPattern().Match(word) is { Success: true } scp)
        {
            return Create(word, scp.Groups[1].Value, scp.Groups[2].Success ? scp.Groups[2].Value : null);
        }
        return null;
    }

    private static GitSource Create(string word, string remote, string? fragment)
    {
        if (string.IsNullOrEmpty(fragment)) return new GitSource(word, remote, null, null);
        int colon = fragment.IndexOf(':');
        string reference = colon < 0 ? fragment : fragment[..colon];
        string? subdirectory = colon < 0 ? null : fragment[(colon + 1)..];
        return new GitSource(word, remote, reference.Length == 0 ? null : reference, string.IsNullOrEmpty(subdirectory) ? null : subdirectory);
    }

    private static (string Remote, string? Fragment) SplitFragment(string word)
    {
        int hash = word.IndexOf('#');
        return hash < 0 ? (word, null) : (word[..hash], word[(hash + 1)..]);
    }

    [GeneratedRegex("^([a-zA-Z0-9]+)://")]
    private static partial Regex SchemePattern();

    /// <summary>user@host:path[#fragment], as BuildKit's sshutil matches it, with the user required.</summary>
    [GeneratedRegex("^([a-zA-Z0-9-_]+@[a-zA-Z0-9-.]+:.*?)(?:#(.*))?$")]
    private static partial Regex ScpPattern();
}
