using System.Text;

namespace Containerize.Engine.Context;

/// <summary>
/// Go's <c>filepath.Match</c> on Unix, which BuildKit uses for COPY source wildcards (one path
/// segment at a time) and Docker to reject malformed .dockerignore patterns: '*' any run of
/// characters but '/', '?' one character but '/', '[...]' / '[^...]' a class of one or more
/// ranges (<c>lo</c> or <c>lo-hi</c>) that must close, '\' escapes the next character. Characters
/// are code points, as Go's runes: '?' matches "😀" whole.
/// </summary>
internal static class FilepathPattern
{
    /// <summary>Why a pattern is malformed (Go's ErrBadPattern) and the index of the character that makes it so.</summary>
    public readonly record struct SyntaxError(int Index, string Reason);

    private const string Unclosed = "a '[' class is not closed with ']'";
    private const string TrailingEscape = "a trailing '\\' escapes nothing";

    public static bool HasWildcards(string pattern)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\') { i++; continue; }
            if (c is '*' or '?' or '[') return true;
        }
        return false;
    }

    /// <summary>"\*" becomes "*": the literal name a pattern without wildcards stands for.</summary>
    public static string Unescape(string pattern)
    {
        var text = new StringBuilder(pattern.Length);
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length) i++;
            text.Append(pattern[i]);
        }
        return text.ToString();
    }

    /// <summary>The first error of a malformed pattern, or null.</summary>
    public static SyntaxError? FindError(string pattern)
    {
        int i = 0;
        while (i < pattern.Length)
        {
            switch (pattern[i])
            {
                case '\\':
                    if (i + 1 >= pattern.Length) return new SyntaxError(i, TrailingEscape);
                    i += 2;
                    break;
                case '[':
                    if (SkipClass(pattern, ref i) is { } error) return error;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="name"/> matches; throws <see cref="FormatException"/> for a malformed pattern, as Go returns ErrBadPattern even without a match attempt.</summary>
    public static bool Matches(string pattern, string name)
    {
        if (FindError(pattern) is { } error) throw new FormatException(error.Reason);
        return MatchFrom(Runes(pattern), 0, Runes(name), 0);
    }

    private static int[] Runes(string text) => [.. text.EnumerateRunes().Select(r => r.Value)];

    private static bool MatchFrom(int[] pattern, int p, int[] name, int n)
    {
        while (p < pattern.Length)
        {
            int c = pattern[p];
            if (c == '*')
            {
                while (p < pattern.Length && pattern[p] == '*') p++;
                for (int start = n; start <= name.Length; start++)
                {
                    if (MatchFrom(pattern, p, name, start)) return true;
                    if (start < name.Length && name[start] == '/') return false;
                }
                return false;
            }
            if (n >= name.Length) return false;
            if (c == '?')
            {
                if (name[n] == '/') return false;
            }
            else if (c == '[')
            {
                if (!MatchClass(pattern, ref p, name[n])) return false;
                n++;
                continue;
            }
            else
            {
                if (c == '\\') c = pattern[++p];
                if (name[n] != c) return false;
            }
            p++;
            n++;
        }
        return n == name.Length;
    }

    /// <summary>Matches one character against the (valid) class starting at <paramref name="p"/> ('['), leaving p after its ']'.</summary>
    private static bool MatchClass(int[] pattern, ref int p, int c)
    {
        p++;
        bool negated = pattern[p] == '^';
        if (negated) p++;
        bool matched = false;
        bool first = true;
        while (first || pattern[p] != ']')
        {
            first = false;
            int lo = ClassChar(pattern, ref p);
            int hi = lo;
            if (pattern[p] == '-')
            {
                p++;
                hi = ClassChar(pattern, ref p);
            }
            if (lo <= c && c <= hi) matched = true;
        }
        p++;
        return matched != negated;
    }

    private static int ClassChar(int[] pattern, ref int p)
    {
        int c = pattern[p++];
        if (c == '\\') c = pattern[p++];
        return c;
    }

    /// <summary>Moves <paramref name="i"/> from '[' past the closing ']'.</summary>
    private static SyntaxError? SkipClass(string pattern, ref int i)
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
                return null;
            }
            if (SkipRangeEnd(pattern, ref i) is { } reason) return new SyntaxError(Math.Min(i, pattern.Length - 1), reason);
            if (i >= pattern.Length) return new SyntaxError(open, Unclosed);
            if (pattern[i] == '-')
            {
                i++;
                if (SkipRangeEnd(pattern, ref i) is { } endReason) return new SyntaxError(Math.Min(i, pattern.Length - 1), endReason);
                if (i >= pattern.Length) return new SyntaxError(open, Unclosed);
            }
            ranges++;
        }
    }

    /// <summary>One possibly escaped class character; '-' and ']' may not appear unescaped here. Returns why not, or null.</summary>
    private static string? SkipRangeEnd(string pattern, ref int i)
    {
        if (i >= pattern.Length) return Unclosed;
        if (pattern[i] is '-' or ']') return $"'{pattern[i]}' must be escaped inside a '[' class";
        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length) return TrailingEscape;
        }
        // One code point: a pair is one character, a lone surrogate is one (replacement) character
        // and never swallows the character after it.
        i += char.IsSurrogatePair(pattern, i) ? 2 : 1;
        return null;
    }
}
