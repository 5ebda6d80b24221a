namespace Containerize.Engine.Context;

/// <summary>
/// One compiled, cleaned pattern (without its '!'). Wildcard patterns run as a set-of-states
/// automaton over the path's code points: time is linear in path length times pattern length,
/// whatever the pattern, so no input can make matching backtrack catastrophically.
/// </summary>
internal sealed class GlobPattern
{
    private readonly GlobToken[] _tokens;

    public GlobPattern(string text, GlobMatchKind kind, GlobToken[] tokens, string? regexText, string? matchError)
    {
        Text = text;
        Kind = kind;
        _tokens = tokens;
        RegexText = regexText;
        MatchError = matchError;
    }

    public string Text { get; }

    public GlobMatchKind Kind { get; }

    /// <summary>The regular expression Docker would build, for wildcard patterns only.</summary>
    public string? RegexText { get; }

    /// <summary>Why every match attempt fails, for patterns Docker accepts but cannot match with.</summary>
    public string? MatchError { get; }

    public bool Matches(string path) => Kind switch
    {
        GlobMatchKind.Exact => path == Text,
        GlobMatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
        GlobMatchKind.Suffix => MatchesSuffix(path),
        _ => RunAutomaton(path, wholePath: true),
    };

    /// <summary>
    /// Whether the pattern matches <paramref name="parent"/> or one of its leading runs of parts
    /// (the text before any '/'): what matching "a", "a/b", "a/b/c" one by one answers, in time
    /// linear in the parent's length rather than quadratic.
    /// </summary>
    public bool MatchesALeadingRun(string parent)
    {
        switch (Kind)
        {
            case GlobMatchKind.Exact:
                return parent.StartsWith(Text, StringComparison.Ordinal) && (parent.Length == Text.Length || parent[Text.Length] == '/');
            case GlobMatchKind.Prefix:
                // Every leading run is a prefix of the parent: one starts with the text only if the parent does.
                return parent.StartsWith(Text[..^2], StringComparison.Ordinal);
            case GlobMatchKind.Suffix:
                for (int slash = parent.IndexOf('/'); slash >= 0; slash = parent.IndexOf('/', slash + 1))
                {
                    if (MatchesSuffix(parent.AsSpan(0, slash))) return true;
                }
                return MatchesSuffix(parent);
            default:
                return RunAutomaton(parent, wholePath: true, acceptBeforeSlash: true);
        }
    }

    /// <summary>Whether some path strictly below <paramref name="directory"/> could match.</summary>
    public bool CouldMatchBelow(string directory)
    {
        string prefix = directory + "/";
        return Kind switch
        {
            GlobMatchKind.Exact => Text.StartsWith(prefix, StringComparison.Ordinal),
            GlobMatchKind.Prefix => Text[..^2].StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(Text[..^2], StringComparison.Ordinal),
            GlobMatchKind.Suffix => true,
            _ => RunAutomaton(prefix, wholePath: false),
        };
    }

    private bool MatchesSuffix(ReadOnlySpan<char> path)
    {
        ReadOnlySpan<char> suffix = Text.AsSpan(2);
        if (path.EndsWith(suffix, StringComparison.Ordinal)) return true;
        return suffix.Length > 0 && suffix[0] == '/' && path.SequenceEqual(suffix[1..]);
    }

    /// <summary>
    /// State i means "tokens before i are matched"; the AnyDirectories token at i has a second
    /// state (index i + count + 1) for "inside its run, waiting for a '/'". With
    /// <paramref name="wholePath"/> false, answers whether the input can still be extended to a match.
    /// With <paramref name="acceptBeforeSlash"/>, also answers true as soon as the text before a '/'
    /// matches on its own.
    /// </summary>
    private bool RunAutomaton(string input, bool wholePath, bool acceptBeforeSlash = false)
    {
        int count = _tokens.Length;
        int states = 2 * (count + 1);
        // Matching runs for every path and pattern of a walk: small automatons live on the stack.
        Span<bool> buffer = states <= 256 ? stackalloc bool[2 * states] : new bool[2 * states];
        Span<bool> current = buffer[..states], next = buffer[states..];
        current[0] = true;
        Close(current);

        foreach (var rune in input.EnumerateRunes())
        {
            if (acceptBeforeSlash && rune.Value == '/' && current[count]) return true;
            next.Clear();
            bool any = false;
            for (int state = 0; state < count; state++)
            {
                if (current[state]) any |= Step(state, rune.Value, next);
                if (current[count + 1 + state]) any |= StepInsideDirectories(state, rune.Value, next);
            }
            if (!any) return false;
            Close(next);
            Span<bool> read = next;
            next = current;
            current = read;
        }

        if (wholePath) return current[count];
        for (int state = 0; state < current.Length; state++)
        {
            if (current[state] && state != count) return true;
        }
        return false;
    }

    private bool Step(int state, int rune, Span<bool> next)
    {
        var token = _tokens[state];
        switch (token.Kind)
        {
            case GlobTokenKind.Literal when token.Rune == rune:
            case GlobTokenKind.AnyCharacter when rune != '/':
            case GlobTokenKind.Class when token.Class!.Contains(rune):
                return next[state + 1] = true;
            case GlobTokenKind.AnyRun when rune != '/':
            case GlobTokenKind.AnyRest when rune != '\n': // Go's "." does not match a newline
                return next[state] = true;
            case GlobTokenKind.AnyDirectories when rune != '\n':
                if (rune == '/') next[state + 1] = true;
                return next[_tokens.Length + 1 + state] = true;
            default:
                return false;
        }
    }

    private bool StepInsideDirectories(int state, int rune, Span<bool> next)
    {
        if (rune == '\n') return false;
        if (rune == '/') next[state + 1] = true;
        return next[_tokens.Length + 1 + state] = true;
    }

    /// <summary>Adds the states reachable without reading: every star may match nothing.</summary>
    private void Close(Span<bool> states)
    {
        for (int state = 0; state < _tokens.Length; state++)
        {
            if (states[state] && _tokens[state].Kind is GlobTokenKind.AnyRun or GlobTokenKind.AnyRest or GlobTokenKind.AnyDirectories)
            {
                states[state + 1] = true;
            }
        }
    }
}
