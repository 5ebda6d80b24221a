using System.Text;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// The small part of shell word lexing that heredoc detection needs: words split on white space
/// outside quotes, with quotes and escapes either kept (raw) or applied. No variable expansion.
/// </summary>
internal static class ShellWordLexer
{
    public static List<string> Words(string text, bool rawQuotes, bool rawEscapes, out bool unterminatedQuote)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        unterminatedQuote = false;
        for (int pos = 0; pos < text.Length; pos++)
        {
            char c = text[pos];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\')
            {
                if (rawEscapes) word.Append(c);
                if (pos + 1 < text.Length) word.Append(text[++pos]);
                continue;
            }
            if (c is '\'' or '"')
            {
                int close = FindClosingQuote(text, pos);
                if (close < 0)
                {
                    unterminatedQuote = true;
                    close = text.Length;
                }
                AppendQuoted(word, text, pos, close, rawQuotes, rawEscapes);
                pos = Math.Min(close, text.Length - 1);
                continue;
            }
            word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static int FindClosingQuote(string text, int open)
    {
        char quote = text[open];
        for (int i = open + 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\') i++;
            else if (text[i] == quote) return i;
        }
        return -1;
    }

    private static void AppendQuoted(StringBuilder word, string text, int open, int close, bool rawQuotes, bool rawEscapes)
    {
        char quote = text[open];
        if (rawQuotes) word.Append(quote);
        for (int i = open + 1; i < close && i < text.Length; i++)
        {
            bool escapable = i + 1 < close && text[i + 1] is '"' or '\\' or '$' or '`';
            if (quote == '"' && text[i] == '\\' && escapable && !rawEscapes) i++;
            word.Append(text[i]);
        }
        if (rawQuotes && close < text.Length) word.Append(quote);
    }
}
