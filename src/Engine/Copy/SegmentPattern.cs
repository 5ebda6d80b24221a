namespace Containerize.Engine.Copy;

/// <summary>
/// Go's <c>filepath.Match</c> for one path segment, as BuildKit matches COPY source wildcards:
/// '*' any run of characters, '?' one character, '[...]' / '[^...]' classes with ranges, '\' escapes.
/// </summary>
internal static class SegmentPattern
{
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
        var text = new System.Text.StringBuilder(pattern.Length);
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length) i++;
            text.Append(pattern[i]);
        }
        return text.ToString();
    }

    /// <summary>Whether <paramref name="name"/> matches; throws <see cref="FormatException"/> for a malformed pattern, like Go's ErrBadPattern.</summary>
    public static bool Matches(string pattern, string name)
    {
        Validate(pattern);
        return MatchFrom(pattern, 0, name, 0);
    }

    private static bool MatchFrom(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            char c = pattern[p];
            if (c == '*')
            {
                while (p < pattern.Length && pattern[p] == '*') p++;
                if (p == pattern.Length) return true;
                for (int start = n; start <= name.Length; start++)
                {
                    if (MatchFrom(pattern, p, name, start)) return true;
                }
                return false;
            }
            if (n >= name.Length) return false;
            if (c == '?') { p++; n++; continue; }
            if (c == '[')
            {
                if (!MatchClass(pattern, ref p, name[n])) return false;
                n++;
                continue;
            }
            if (c == '\\') c = pattern[++p];
            if (name[n] != c) return false;
            p++;
            n++;
        }
        return n == name.Length;
    }

    /// <summary>Matches one character against the class starting at <paramref name="p"/> ('['), leaving p after its ']'.</summary>
    private static bool MatchClass(string pattern, ref int p, char c)
    {
        p++;
        bool negated = p < pattern.Length && pattern[p] == '^';
        if (negated) p++;
        bool matched = false;
        bool first = true;
        while (first || pattern[p] != ']')
        {
            first = false;
            char lo = ClassChar(pattern, ref p);
            char hi = lo;
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

    private static char ClassChar(string pattern, ref int p)
    {
        char c = pattern[p++];
        if (c == '\\') c = pattern[p++];
        return c;
    }

    private static void Validate(string pattern)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                if (++i >= pattern.Length) throw new FormatException("a trailing '\\' escapes nothing");
            }
            else if (c == '[')
            {
                i++;
                if (i < pattern.Length && pattern[i] == '^') i++;
                int items = 0;
                while (true)
                {
                    if (i >= pattern.Length) throw new FormatException("a '[' class is not closed with ']'");
                    if (pattern[i] == ']' && items > 0) break;
                    i = ValidateClassChar(pattern, i);
                    if (i < pattern.Length && pattern[i] == '-') i = ValidateClassChar(pattern, i + 1);
                    items++;
                }
            }
        }
    }

    private static int ValidateClassChar(string pattern, int i)
    {
        if (i >= pattern.Length) throw new FormatException("a '[' class is not closed with ']'");
        char c = pattern[i];
        if (c is '-' or ']') throw new FormatException($"'{c}' must be escaped inside a '[' class");
        if (c == '\\')
        {
            if (i + 1 >= pattern.Length) throw new FormatException("a trailing '\\' escapes nothing");
            return i + 2;
        }
        return i + 1;
    }
}
