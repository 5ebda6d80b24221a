using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// The lines of a Dockerfile as BuildKit's scanner yields them: split on <c>\n</c> only, each
/// raw line keeping its terminator (heredoc bodies need it), a leading BOM dropped, and lines
/// longer than BuildKit's 64 KiB scanner buffer refused.
/// </summary>
internal sealed class SourceLines
{
    // bufio.Scanner's MaxScanTokenSize: a line plus its newline must fit in 65536 bytes.
    private const int MaxLineBytes = 65536;

    private readonly string _path;
    private readonly List<string> _lines = [];
    private int _next;

    public SourceLines(string text, string path)
    {
        _path = path;
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            _lines.Add(text[start..end]);
            start = end;
        }
    }

    /// <summary>1-based number of the line last returned by <see cref="TryRead"/> (0 before any).</summary>
    public int CurrentLine => _next;

    public bool TryRead(out string raw)
    {
        if (_next >= _lines.Count)
        {
            raw = "";
            return false;
        }
        raw = _lines[_next++];
        CheckLength(raw, _next);
        return true;
    }

    private void CheckLength(string raw, int line)
    {
        if (raw.Length * 3 < MaxLineBytes) return;
        int bytes = Encoding.UTF8.GetByteCount(raw);
        bool terminated = raw.EndsWith('\n');
        if (bytes > MaxLineBytes || (!terminated && bytes >= MaxLineBytes))
        {
            throw DockerfileErrors.At(_path, ErrorCodes.DockerfileLineTooLong,
                $"dockerfile line greater than max allowed size of {MaxLineBytes - 1} bytes; split the line with the escape character at its end.",
                line, 1);
        }
    }

    /// <summary>The line without trailing carriage returns and newlines.</summary>
    public static string TrimNewline(string raw) => raw.TrimEnd('\r', '\n');
}
