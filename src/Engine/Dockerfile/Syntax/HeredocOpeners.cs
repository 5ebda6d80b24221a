using System.Text.RegularExpressions;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Finds the heredoc openers of an instruction line (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-EOF</c>,
/// <c>3&lt;&lt;'EOF'</c>, <c>&lt;&lt; EOF</c>…). Quoted words never open a heredoc; a delimiter
/// with any quoted part turns expansion off.
/// </summary>
public static partial class HeredocOpeners
{
    /// <summary>The heredocs a line opens, in order, with empty content.</summary>
    /// <exception cref="FormatException">A heredoc word with an unbalanced quote.</exception>
    public static List<Heredoc> FromLine(string line)
    {
        var lexed = ShellWordLexer.Words(line, rawQuotes: true, rawEscapes: true, out bool unterminated);
        // BuildKit ignores a line its shell lexer cannot split: no heredoc, no error.
        if (unterminated) return [];
        var words = JoinOperatorWithDelimiter(lexed);
        var heredocs = new List<Heredoc>();
        foreach (string word in words)
        {
            if (Parse(word) is { } heredoc) heredocs.Add(heredoc);
        }
        return heredocs;
    }

    /// <summary>The heredoc a single word opens, or null when it is no heredoc opener.</summary>
    /// <exception cref="FormatException">A heredoc word with an unbalanced quote.</exception>
    public static Heredoc? Parse(string word)
    {
        var match = Opener().Match(word);
        if (!match.Success || match.Groups[3].Length == 0) return null;
        string rest = match.Groups[3].Value;

        var words = ShellWordLexer.Words(rest, rawQuotes: false, rawEscapes: false, out bool unterminated);
        if (unterminated) throw new FormatException($"unterminated quote in heredoc delimiter \"{word}\"");
        if (words.Count != 1) return null;
        var rawWords = ShellWordLexer.Words(rest, rawQuotes: true, rawEscapes: false, out _);

        string name = words[0];
        bool expand = QuoteCount(name) == QuoteCount(rawWords[0]);
        int fd = FileDescriptor(match.Groups[1].Value);
        return new Heredoc(name, "", expand, match.Groups[2].Value == "-", fd);
    }

    private static int FileDescriptor(string digits) =>
        digits.Length == 0 ? 0 : int.TryParse(digits, out int fd) ? fd : 0;

    private static int QuoteCount(string text) => text.Count(c => c is '\'' or '"');

    // "<<" or "<<-" alone is followed by its delimiter after white space ("<< EOF").
    private static List<string> JoinOperatorWithDelimiter(List<string> words)
    {
        var joined = new List<string>(words.Count);
        for (int i = 0; i < words.Count; i++)
        {
            if (BareOperator().IsMatch(words[i]) && i + 1 < words.Count)
            {
                joined.Add(words[i] + " " + words[i + 1]);
                i++;
            }
            else
            {
                joined.Add(words[i]);
            }
        }
        return joined;
    }

    [GeneratedRegex(@"^([0-9]*)<<(-?)([^<]*)\z")]
    private static partial Regex Opener();

    [GeneratedRegex(@"^[0-9]*<<-?\z")]
    private static partial Regex BareOperator();
}
