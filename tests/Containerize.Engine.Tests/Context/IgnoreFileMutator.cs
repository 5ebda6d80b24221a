using System.Text;

namespace Containerize.Engine.Tests.Context;

/// <summary>
/// Deterministic mutations of .dockerignore text for the robustness test: single characters from a
/// palette of pattern syntax and awkward Unicode, fragments (classes, escapes, "**" runs), long
/// lines and very many patterns.
/// </summary>
internal sealed class IgnoreFileMutator(int seed)
{
    /// <summary>Characters that mean something to the reader or the matcher, and Unicode that is easy to mishandle.</summary>
    private static readonly string[] Palette =
    [
        "*", "?", "[", "]", "!", "\\", "/", "^", "-", ".", "#", "\n", "\r", "\t", " ", "\0",
        "é", "ß", "日", "😀", "\u0301", "\u00a0", "\u2028", "\uFEFF", "\uFFFD", "\uD800", "\uDC00", "\uDBFF",
    ];

    private static readonly string[] Fragments =
    [
        "**", "**/", "/**", "**/**", "*/", "[", "[^", "[]", "[]]", "[a-", "[a-z", "[z-a]", "[\\]]", "[^/]", "[-]", "[a\\-z]",
        "\\", "\\*", "\\[", "!", "!/", "! ", "/", "./", "../", "/..", "//", "#", "\r\n", "\n!", "\n\n", " \t ",
        "[😀-😎]", "[\uD800]", "[\uD800-]", "[a-\uD800]", "\uD800*", "*\uDC00", "😀?", "?\u0301",
    ];

    private readonly Random _random = new(seed);

    public string Mutate(string text)
    {
        int rounds = 1 + _random.Next(4);
        for (int i = 0; i < rounds; i++) text = MutateOnce(text);
        return text;
    }

    private string Pick(string[] from) => from[_random.Next(from.Length)];

    private string MutateOnce(string text)
    {
        int position = text.Length == 0 ? 0 : _random.Next(text.Length + 1);
        switch (_random.Next(12))
        {
            case 0:
                return text.Length == 0 ? Pick(Palette) : text.Remove(Math.Min(position, text.Length - 1), 1).Insert(Math.Min(position, text.Length - 1), Pick(Palette));
            case 1:
                return text.Insert(position, Pick(Palette));
            case 2:
                return text.Length == 0 ? text : text.Remove(Math.Min(position, text.Length - 1), Math.Min(1 + _random.Next(3), text.Length - Math.Min(position, text.Length - 1)));
            case 3:
                return text.Insert(position, Pick(Fragments));
            case 4:
                return text[..position];
            case 5:
            {
                var lines = text.Split('\n').ToList();
                int line = _random.Next(lines.Count);
                if (_random.Next(2) == 0) lines.Insert(line, lines[line]);
                else lines.RemoveAt(line);
                return string.Join('\n', lines);
            }
            case 6:
                // A long line: one fragment or palette character repeated thousands of times.
                return text.Insert(position, string.Concat(Enumerable.Repeat(_random.Next(2) == 0 ? Pick(Fragments) : Pick(Palette), 200 + _random.Next(2000))));
            case 7:
                return text.Insert(position, "\n" + ManyPatterns() + "\n");
            case 8:
                // Runs of "**" with and without separators, the classic backtracking trap.
                string unit = Pick(["**", "**/", "*", "*/", "**/a", "*a*", "?*"]);
                return text.Insert(position, string.Concat(Enumerable.Repeat(unit, 5 + _random.Next(300))) + Pick(["", "b", "/b", "x/y", "**"]));
            case 9:
                // An unterminated or odd class.
                return text.Insert(position, "[" + RandomRun(_random.Next(6)) + (_random.Next(3) == 0 ? "]" : ""));
            case 10:
                return Pick(Fragments) + text;
            default:
                return text + Pick(Fragments) + RandomRun(_random.Next(4));
        }
    }

    private string RandomRun(int length)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < length; i++) builder.Append(_random.Next(3) == 0 ? Pick(Palette) : ((char)('a' + _random.Next(26))).ToString());
        return builder.ToString();
    }

    /// <summary>Thousands of short patterns, some of them exceptions.</summary>
    private string ManyPatterns()
    {
        int count = 500 + _random.Next(2500);
        var builder = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (_random.Next(5) == 0) builder.Append('!');
            builder.Append(Pick(["a", "b/c", "*.txt", "**/d", "dir/**", "e?", "x*y", "[ab]*"])).Append(i % 97).Append('\n');
        }
        return builder.ToString();
    }
}
