using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// The pattern of <c>${VAR#pattern}</c>, <c>${VAR%pattern}</c> and <c>${VAR/pattern/replacement}</c>
/// as BuildKit reads it: <c>*</c> any string, <c>?</c> any character, <c>\</c> makes the next
/// character literal; everything else, brackets included, is literal. The escape is always a
/// backslash here, whatever the Dockerfile's escape token.
/// </summary>
internal sealed class ShellPattern
{
    private readonly PatternToken[] _tokens;

    private ShellPattern(PatternToken[] tokens)
    {
        _tokens = tokens;
    }

    internal IReadOnlyList<PatternToken> Tokens => _tokens;

    public static ShellPattern Parse(string pattern)
    {
        var tokens = new List<PatternToken>();
        Rune[] runes = RuneReader.ToRunes(pattern);
        for (int i = 0; i < runes.Length; i++)
        {
            Rune rune = runes[i];
            switch (rune.Value)
            {
                case '*':
                    if (tokens.Count == 0 || tokens[^1].Kind != PatternTokenKind.AnyString)
                        tokens.Add(new PatternToken(PatternTokenKind.AnyString));
                    break;
                case '?':
                    tokens.Add(new PatternToken(PatternTokenKind.AnyCharacter));
                    break;
                case '\\':
                    if (++i == runes.Length) throw Invalid(pattern, "it ends with an escape '\\'");
                    // Upstream hands "\x" to Go's regexp, where only escaped ASCII punctuation means
                    // the character itself; "\d", "\n" and the like are regexp classes we do not
                    // reproduce, so they are rejected rather than silently matched differently.
                    if (!runes[i].IsAscii || Rune.IsLetterOrDigit(runes[i]))
                        throw Invalid(pattern, $"'\\{runes[i]}' is not a supported escape (only punctuation can be escaped)");
                    tokens.Add(new PatternToken(PatternTokenKind.Literal, runes[i]));
                    break;
                default:
                    tokens.Add(new PatternToken(PatternTokenKind.Literal, rune));
                    break;
            }
        }
        return new ShellPattern(tokens.ToArray());
    }

    /// <summary><c>${VAR#pattern}</c> (shortest) and <c>${VAR##pattern}</c> (longest).</summary>
    public string RemovePrefix(string value, bool longest)
    {
        Rune[] text = RuneReader.ToRunes(value);
        if (PatternMatcher.Find(_tokens, text, 0, anchored: true, longest) is not { } match) return value;
        return Join(text, match.End, text.Length);
    }

    /// <summary><c>${VAR%pattern}</c> (shortest) and <c>${VAR%%pattern}</c> (longest).</summary>
    public string RemoveSuffix(string value, bool longest)
    {
        // A suffix match is a prefix match of the reversed pattern on the reversed text.
        Rune[] reversedText = RuneReader.ToRunes(value);
        Array.Reverse(reversedText);
        PatternToken[] reversedTokens = (PatternToken[])_tokens.Clone();
        Array.Reverse(reversedTokens);
        if (PatternMatcher.Find(reversedTokens, reversedText, 0, anchored: true, longest) is not { } match) return value;
        Array.Reverse(reversedText);
        return Join(reversedText, 0, reversedText.Length - match.End);
    }

    /// <summary><c>${VAR/pattern/replacement}</c>: the leftmost longest match, replaced literally.</summary>
    public string ReplaceFirst(string value, string replacement)
    {
        Rune[] text = RuneReader.ToRunes(value);
        if (PatternMatcher.Find(_tokens, text, 0, anchored: false, longest: true) is not { } match) return value;
        return Join(text, 0, match.Start) + replacement + Join(text, match.End, text.Length);
    }

    /// <summary>
    /// <c>${VAR//pattern/replacement}</c>: every non-overlapping match, scanning on as Go's
    /// <c>ReplaceAllString</c> does (an empty match right after a match is not replaced, and the
    /// scan always moves at least one character). Like upstream, <c>$</c> in the replacement is a
    /// Go template: <c>$0</c>/<c>${0}</c> is the match, <c>$$</c> a dollar, other names empty.
    /// Null once the result would pass <paramref name="maxLength"/> characters (each match can add a whole replacement).
    /// </summary>
    public string? ReplaceAll(string value, string replacement, int maxLength)
    {
        Rune[] text = RuneReader.ToRunes(value);
        var output = new StringBuilder();
        int searchFrom = 0;
        int lastMatchEnd = 0;
        while (searchFrom <= text.Length)
        {
            if (PatternMatcher.Find(_tokens, text, searchFrom, anchored: false, longest: true) is not { } match) break;
            output.Append(Join(text, lastMatchEnd, match.Start));
            if (match.End > lastMatchEnd || match.Start == 0)
                ReplacementTemplate.AppendExpanded(output, replacement, Join(text, match.Start, match.End));
            if (output.Length > maxLength) return null;
            lastMatchEnd = match.End;
            int width = searchFrom < text.Length ? 1 : 0;
            if (searchFrom + width > match.End) searchFrom += width;
            else if (searchFrom + 1 > match.End) searchFrom++;
            else searchFrom = match.End;
        }
        output.Append(Join(text, lastMatchEnd, text.Length));
        return output.ToString();
    }

    private static string Join(Rune[] text, int start, int end)
    {
        var builder = new StringBuilder(end - start);
        for (int i = start; i < end; i++) RuneReader.Append(builder, text[i].Value);
        return builder.ToString();
    }

    private static ExpansionFailure Invalid(string pattern, string why) =>
        new(ErrorCodes.InvalidSubstitutionPattern, $"invalid pattern ({pattern}) in substitution: {why}");
}
