using System.Text;

namespace Containerize.Engine.Context;

/// <summary>
/// Translates a cleaned, syntactically valid pattern the way Docker's patternmatcher does ("*" stays
/// within one path part, "**/" and "**" span parts, ".+()|{}$" are literal) into tokens for the
/// automaton instead of a regular expression. The equivalent regular expression text is kept for
/// diagnostics and for comparison with upstream's own compiled form.
/// </summary>
internal static class GlobCompiler
{
    private const string RegexSpecials = ".+()|{}$";

    public static GlobPattern Compile(string pattern)
    {
        int[] runes = pattern.EnumerateRunes().Select(r => r.Value).ToArray();
        var tokens = new List<GlobToken>();
        var regex = new StringBuilder("^");
        var kind = GlobMatchKind.Exact;
        string? deferredError = null;

        for (int i = 0, step = 0; i < runes.Length; step++)
        {
            int c = runes[i++];
            if (c == '*' && i < runes.Length && runes[i] == '*')
            {
                i++;
                if (i < runes.Length && runes[i] == '/') i++;
                if (i >= runes.Length)
                {
                    if (kind == GlobMatchKind.Exact) kind = GlobMatchKind.Prefix;
                    else
                    {
                        regex.Append(".*");
                        kind = GlobMatchKind.Wildcard;
                    }
                    tokens.Add(new GlobToken(GlobTokenKind.AnyRest));
                }
                else
                {
                    regex.Append("(.*/)?");
                    kind = GlobMatchKind.Wildcard;
                    tokens.Add(new GlobToken(GlobTokenKind.AnyDirectories));
                }
                if (step == 0) kind = GlobMatchKind.Suffix;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
                kind = GlobMatchKind.Wildcard;
                tokens.Add(new GlobToken(GlobTokenKind.AnyRun));
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
                kind = GlobMatchKind.Wildcard;
                tokens.Add(new GlobToken(GlobTokenKind.AnyCharacter));
            }
            else if (c == '\\')
            {
                // FilepathPattern.FindError has already rejected a trailing backslash.
                int escaped = runes[i++];
                regex.Append('\\').Append(char.ConvertFromUtf32(escaped));
                kind = GlobMatchKind.Wildcard;
                tokens.Add(new GlobToken(GlobTokenKind.Literal, escaped));
            }
            else if (c == '[')
            {
                int start = i - 1;
                var characterClass = ReadClass(runes, ref i);
                AppendRegex(regex, runes.AsSpan(start, i - start));
                kind = GlobMatchKind.Wildcard;
                if (characterClass.HasReversedRange) deferredError ??= "a character class has a range whose start is after its end";
                tokens.Add(new GlobToken(GlobTokenKind.Class, Class: characterClass));
            }
            else
            {
                if (c == ']') kind = GlobMatchKind.Wildcard;
                AppendRegex(regex, [c]);
                tokens.Add(new GlobToken(GlobTokenKind.Literal, c));
            }
        }

        string? regexText = kind == GlobMatchKind.Wildcard ? regex.Append('$').ToString() : null;
        return new GlobPattern(pattern, kind, tokens.ToArray(), regexText, deferredError);
    }

    /// <summary>Reads a class from just after its '['; the syntax has been checked already.</summary>
    private static CharacterClass ReadClass(int[] runes, ref int i)
    {
        bool negated = false;
        if (runes[i] == '^')
        {
            negated = true;
            i++;
        }
        var ranges = new List<(int, int)>();
        while (!(runes[i] == ']' && ranges.Count > 0))
        {
            int low = ReadClassCharacter(runes, ref i);
            int high = low;
            if (runes[i] == '-')
            {
                i++;
                high = ReadClassCharacter(runes, ref i);
            }
            ranges.Add((low, high));
        }
        i++;
        return new CharacterClass(negated, ranges);
    }

    private static int ReadClassCharacter(int[] runes, ref int i)
    {
        if (runes[i] == '\\') i++;
        return runes[i++];
    }

    private static void AppendRegex(StringBuilder regex, ReadOnlySpan<int> runes)
    {
        foreach (int r in runes)
        {
            if (r < 128 && RegexSpecials.Contains((char)r)) regex.Append('\\');
            regex.Append(char.ConvertFromUtf32(r));
        }
    }
}
