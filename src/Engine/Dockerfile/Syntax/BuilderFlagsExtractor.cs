namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Takes the leading <c>--flag</c> words off an argument text the way BuildKit does: quotes in a
/// flag word are removed, a backslash escapes the next character, a bare <c>--</c> ends the flags.
/// </summary>
internal static class BuilderFlagsExtractor
{
    public static (string Remainder, List<string> Flags) Extract(string line)
    {
        var flags = new List<string>();
        int pos = 0;
        while (true)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos])) pos++;
            if (pos >= line.Length) return ("", flags);
            if (line[pos] != '-' || pos + 1 >= line.Length || line[pos + 1] != '-') return (line[pos..], flags);

            var (word, blankOk, next) = ReadFlagWord(line, pos);
            if (word == "--") return (next >= line.Length ? "" : line[next..], flags);
            if (blankOk || word.Length > 0) flags.Add(word);
            pos = next;
        }
    }

    private static (string Word, bool BlankOk, int Next) ReadFlagWord(string line, int pos)
    {
        var word = new System.Text.StringBuilder();
        bool blankOk = false;
        char quote = '\0';
        for (; pos < line.Length; pos++)
        {
            char c = line[pos];
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(c)) break;
                if (c is '\'' or '"')
                {
                    quote = c;
                    blankOk = true;
                    continue;
                }
            }
            else if (c == quote)
            {
                quote = '\0';
                continue;
            }
            if (c == '\\')
            {
                if (pos + 1 == line.Length) continue;
                c = line[++pos];
            }
            word.Append(c);
        }
        return (word.ToString(), blankOk, pos);
    }
}
