using System.Text;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// BuildKit's word splitter for ENV, LABEL and ARG: splits on white space outside quotes and
/// keeps quotes and escape characters in the words (expansion removes them later).
/// </summary>
public static class QuotedWordSplitter
{
    public static IReadOnlyList<string> Split(string text, char escape = '\\')
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, blankOk = false;
        char quote = '\0';
        for (int pos = 0; pos < text.Length; pos++)
        {
            char c = text[pos];
            if (!inWord)
            {
                if (char.IsWhiteSpace(c)) continue;
                inWord = true;
            }
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(c))
                {
                    if (blankOk || word.Length > 0) words.Add(word.ToString());
                    word.Clear();
                    blankOk = inWord = false;
                    continue;
                }
                if (c is '\'' or '"')
                {
                    quote = c;
                    blankOk = true;
                }
                else if (c == escape)
                {
                    if (pos + 1 == text.Length) continue;
                    word.Append(c);
                    c = text[++pos];
                }
                word.Append(c);
                continue;
            }
            if (c == quote) quote = '\0';
            else if (c == escape && quote != '\'')
            {
                if (pos + 1 == text.Length)
                {
                    quote = '\0';
                    continue;
                }
                word.Append(c);
                c = text[++pos];
            }
            word.Append(c);
        }
        if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
        return words;
    }
}
