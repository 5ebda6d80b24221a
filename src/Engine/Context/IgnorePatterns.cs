using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Context;

/// <summary>
/// An ordered list of .dockerignore patterns with Docker's semantics: a pattern matches a path or
/// any of its parent directories; the last matching pattern decides, a "!" exception taking the
/// path back.
/// </summary>
public sealed class IgnorePatterns
{
    public static readonly IgnorePatterns Empty = new([]);

    private IgnorePatterns(IReadOnlyList<IgnoreRule> rules)
    {
        Rules = rules;
        HasExceptions = rules.Any(r => r.IsException);
    }

    public IReadOnlyList<IgnoreRule> Rules { get; }

    public bool HasExceptions { get; }

    /// <summary>
    /// Builds the matcher from patterns as Docker's patternmatcher does: each is trimmed, dropped when
    /// empty, path-cleaned, and a leading '!' makes an exception. <paramref name="source"/> names the
    /// list in errors; the pattern's index + 1 is its line.
    /// </summary>
    public static IgnorePatterns Create(IEnumerable<string> patterns, string source = "<patterns>") =>
        Compile(patterns.Select((p, i) => new PatternSource(p, new SourceLocation(source, i + 1, 1), Verbatim: true)));

    internal static IgnorePatterns Compile(IEnumerable<PatternSource> sources)
    {
        var rules = new List<IgnoreRule>();
        foreach (var source in sources)
        {
            if (CompileOne(source) is { } rule) rules.Add(rule);
        }
        return rules.Count == 0 ? Empty : new IgnorePatterns(rules);
    }

    /// <summary>Whether the path is excluded. Paths are slash-separated and relative to the context root.</summary>
    public bool Matches(string relativePath) => Evaluate(relativePath).Excluded;

    /// <summary>
    /// Whether a walk may skip the directory: it is excluded, and no exception written after the
    /// pattern that excludes it could match anything below it.
    /// </summary>
    public bool CanSkipDirectory(string relativeDirectory)
    {
        var (excluded, deciding) = Evaluate(relativeDirectory);
        if (!excluded) return false;
        for (int i = deciding + 1; i < Rules.Count; i++)
        {
            if (Rules[i].IsException && Rules[i].Glob.CouldMatchBelow(relativeDirectory)) return false;
        }
        return true;
    }

    /// <summary>Whether the path, one of its parents, or something below it could be matched; used for include filters.</summary>
    internal bool CouldMatchAtOrBelow(string relativeDirectory) =>
        Matches(relativeDirectory) || Rules.Any(r => !r.IsException && r.Glob.CouldMatchBelow(relativeDirectory));

    /// <summary>
    /// Docker's evaluation order: a pattern is only tried when it could change the answer (an
    /// exclusion while not excluded, an exception while excluded), which also decides which bad
    /// patterns are ever reached. <c>Deciding</c> is the last pattern that changed the answer.
    /// </summary>
    private (bool Excluded, int Deciding) Evaluate(string path)
    {
        bool excluded = false;
        int deciding = -1;
        string? parent = null;
        for (int i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule.IsException != excluded) continue;
            parent ??= SlashPath.Dir(path);
            if (!rule.MatchesOrParentMatches(path, parent)) continue;
            excluded = !rule.IsException;
            deciding = i;
        }
        return (excluded, deciding);
    }

    private static IgnoreRule? CompileOne(PatternSource source)
    {
        string trimmed = source.Text.Trim();
        if (trimmed.Length == 0) return null;
        int column = source.Location.Column + source.Text.IndexOf(trimmed[0]);
        string cleaned = SlashPath.Clean(trimmed);
        bool verbatim = source.Verbatim && cleaned == trimmed;
        var location = source.Location with { Column = column };

        bool isException = cleaned[0] == '!';
        if (isException && cleaned.Length == 1)
        {
            throw new ContainerizeException(ErrorCodes.IllegalIgnoreException,
                "A line with only '!' is not a valid .dockerignore pattern: write the path to take back after the '!', or remove the line.", location);
        }
        string body = isException ? cleaned[1..] : cleaned;
        int bodyColumn = column + (isException ? 1 : 0);

        if (FilepathPattern.FindError(body) is { Index: var errorAt })
        {
            throw new ContainerizeException(ErrorCodes.InvalidIgnorePattern,
                $"'{body}' is not a valid pattern (syntax error at character {errorAt + 1}): close every '[' with ']', " +
                "give ranges as a-z, and escape a literal '[', ']', '-' or a final '\\' with '\\'.",
                location with { Column = verbatim ? bodyColumn + errorAt : column });
        }
        return new IgnoreRule(GlobCompiler.Compile(body), isException, location with { Column = bodyColumn });
    }
}
