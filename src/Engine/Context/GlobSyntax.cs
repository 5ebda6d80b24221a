namespace Containerize.Engine.Context;

/// <summary>
/// The pattern grammar of Go's <c>filepath.Match</c> on Unix, which Docker uses to reject bad
/// .dockerignore patterns: <c>\</c> escapes the next character, <c>[</c> opens a class of one or
/// more ranges (<c>lo</c> or <c>lo-hi</c>, optionally negated with a leading <c>^</c>) that must close.
/// </summary>
internal static class GlobSyntax
{
    /// <summary>The index of the character that makes <paramref name="pattern"/> malformed, or -1.</summary>
    public static int FindError(string pattern)
    {
        int i = 0;
        while (i < pattern.Length)
        {
            switch (pattern[i])
            {
                case '\\':
                    if (i + 1 >= pattern.Length) return i;
                    i += 2;
                    break;
                case '[':
                    int error = SkipClass(pattern, ref i);
                    if (error >= 0) return error;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return -1;
    }

    /// <summary>Moves <paramref name="i"/> from '[' past the closing ']'; returns an error index or -1.</summary>
    private static int SkipClass(string pattern, ref int i)
    {
        int open = i;
        i++;
        if (i < pattern.Length && pattern[i] == '^') i++;
        int ranges = 0;
        while (true)
        {
            if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
            {
                i++;
                return -1;
            }
            if (!SkipRangeEnd(pattern, ref i)) return Math.Min(i, pattern.Length - 1);
            if (i >= pattern.Length) return open;
            if (pattern[i] == '-')
            {
                i++;
                if (!SkipRangeEnd(pattern, ref i)) return Math.Min(i, pattern.Length - 1);
                if (i >= pattern.Length) return open;
            }
            ranges++;
        }
    }

    /// <summary>One possibly escaped class character; '-' and ']' may not appear unescaped here.</summary>
    private static bool SkipRangeEnd(string pattern, ref int i)
    {
        if (i >= pattern.Length || pattern[i] is '-' or ']') return false;
        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length) return false;
        }
        // One code point, as the compiler reads it: a pair is one character, a lone surrogate is one
        // (replacement) character and never swallows the character after it.
        i += char.IsSurrogatePair(pattern, i) ? 2 : 1;
        return true;
    }
}
