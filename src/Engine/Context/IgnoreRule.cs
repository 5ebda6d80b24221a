using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

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
    internal bool MatchesOrParentMatches(string path) => MatchesOrParentMatches(path, SlashPath.Dir(path));

    /// <inheritdoc cref="MatchesOrParentMatches(string)"/>
    /// <param name="parent"><c>SlashPath.Dir(path)</c>, computed once for all the rules.</param>
    internal bool MatchesOrParentMatches(string path, string parent)
    {
        if (Glob.MatchError is { } reason)
        {
            throw new ContainerizeException(ErrorCodes.InvalidIgnorePattern,
                $"The pattern '{Pattern}' cannot be matched: {reason}. Fix or remove it.", Location);
        }
        if (Glob.Matches(path)) return true;
        // Docker checks each leading run of the parent's parts, "a", "a/b", ... in turn; one pass
        // over the parent answers for all of them.
        return parent != "." && Glob.MatchesALeadingRun(parent);
    }

    public override string ToString() => (IsException ? "!" : "") + Pattern;
}
