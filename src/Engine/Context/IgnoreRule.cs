using Containerize.Engine.IO;
using Containerize.Engine.Errors;

namespace Containerize.Engine.Context;

/// <summary>One pattern of a .dockerignore: cleaned text without its '!', whether it is an exception, and where it was written.</summary>
public sealed class IgnoreRule
{
    internal IgnoreRule(GlobPattern glob, bool isException, SourceLocation location)
    {
        Glob = glob;
        IsException = isException;
        Location = location;
    }

    public string Pattern => Glob.Text;

    /// <summary>A "!" pattern: a path it matches is taken back into the context.</summary>
    public bool IsException { get; }

    public SourceLocation Location { get; }

    public GlobMatchKind Kind => Glob.Kind;

    internal GlobPattern Glob { get; }

    /// <summary>Docker's rule: the pattern matches the path or one of its parent directories.</summary>
    internal bool MatchesOrParentMatches(string path)
    {
        if (Glob.MatchError is { } reason)
        {
            throw new ContainerizeException(ErrorCodes.InvalidIgnorePattern,
                $"The pattern '{Pattern}' cannot be matched: {reason}. Fix or remove it.", Location);
        }
        if (Glob.Matches(path)) return true;
        string parent = SlashPath.Dir(path);
        if (parent == ".") return false;
        // Docker checks each leading run of the parent's parts, "a", "a/b", ... in turn.
        for (int slash = parent.IndexOf('/'); ; slash = parent.IndexOf('/', slash + 1))
        {
            if (Glob.Matches(slash < 0 ? parent : parent[..slash])) return true;
            if (slash < 0) return false;
        }
    }

    public override string ToString() => (IsException ? "!" : "") + Pattern;
}
