using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Copy;

/// <summary>Expands COPY source words into the paths they name: literal paths and per-segment wildcards, hiding what .dockerignore excludes.</summary>
internal sealed class SourceMatcher(SourceRoot root, IgnorePatterns filter, CopyErrors errors, string instruction)
{
    public IReadOnlyList<SourceMatch> Match(string word)
    {
        string pathPart = word.TrimStart('/');
        string parentsBase = "";
        int pivot = ("/" + pathPart).IndexOf("/./", StringComparison.Ordinal);
        if (pivot >= 0) parentsBase = SlashPath.Clean(pathPart[..Math.Max(0, pivot - 1)]);
        if (parentsBase == ".") parentsBase = "";

        string cleaned = SlashPath.Clean(pathPart);
        if (cleaned == "..") throw root.Outside(word);
        if (cleaned.StartsWith("../", StringComparison.Ordinal)) throw root.Outside(word);
        if (cleaned == ".") cleaned = "";
        string[] segments = cleaned.Length == 0 ? [] : cleaned.Split('/');

        bool wildcard = segments.Any(FilepathPattern.HasWildcards);
        var candidates = wildcard ? ExpandWildcards(word, segments) : [string.Join('/', segments.Select(FilepathPattern.Unescape))];
        var matches = new List<SourceMatch>();
        foreach (string relative in candidates)
        {
            string host = root.Resolve(relative, word);
            if (LibC.TryStatx(host) is not { } metadata) continue;
            if (!IsVisible(relative, metadata) || !IsVisible(root.Relative(host), metadata)) continue;
            string parentsPath = parentsBase.Length == 0 ? relative : relative.Length > parentsBase.Length ? relative[(parentsBase.Length + 1)..] : "";
            matches.Add(new SourceMatch(word, relative, host, metadata, parentsPath));
        }
        if (matches.Count > 0) return matches;
        if (wildcard)
        {
            throw errors.Create(ErrorCodes.CopySourceNotFound,
                $"{instruction} failed: no source files were specified: the pattern '{word}' matches nothing in '{root.Directory}' that .dockerignore leaves visible. Check the pattern and the ignore file.");
        }
        throw errors.Create(ErrorCodes.CopySourceNotFound,
            $"{instruction} failed: lstat \"/{candidates[0]}\": no such file or directory in '{root.Directory}' (or excluded by .dockerignore). Check the path, relative to the context root, and the ignore file.");
    }

    /// <summary>A path is visible unless the filter excludes it; an excluded directory stays visible when an exception may re-include something below it.</summary>
    public bool IsVisible(string relative, FileMetadata metadata) =>
        relative.Length == 0 || !filter.Matches(relative) || (metadata.Kind == UnixFileKind.Directory && !filter.CanSkipDirectory(relative));

    private List<string> ExpandWildcards(string word, string[] segments)
    {
        var current = new List<string> { "" };
        foreach (string segment in segments)
        {
            var next = new List<string>();
            bool isPattern = FilepathPattern.HasWildcards(segment);
            foreach (string prefix in current)
            {
                if (!isPattern)
                {
                    next.Add(Join(prefix, FilepathPattern.Unescape(segment)));
                    continue;
                }
                string directory = root.Resolve(prefix, word);
                if (LibC.TryStatx(directory) is not { Kind: UnixFileKind.Directory }) continue;
                var names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToList();
                names.Sort(StringComparer.Ordinal);
                foreach (string name in names)
                {
                    if (SegmentMatches(word, segment, name)) next.Add(Join(prefix, name));
                }
            }
            current = next;
        }
        return current;
    }

    private bool SegmentMatches(string word, string segment, string name)
    {
        try
        {
            return FilepathPattern.Matches(segment, name);
        }
        catch (FormatException e)
        {
            throw errors.Create(ErrorCodes.InvalidCopyPattern, $"The source pattern '{word}' is malformed: {e.Message}. Escape special characters with '\\'.", e);
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "/" + name;
}
