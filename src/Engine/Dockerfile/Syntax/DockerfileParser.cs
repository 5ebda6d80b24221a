using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Dockerfile text to syntax tree, following BuildKit's parser line for line: directives at the
/// top, comments, continuations with the escape character, per-instruction argument splitting
/// and heredoc bodies. Every failure is a <see cref="ContainerizeException"/> at a position.
/// </summary>
public sealed class DockerfileParser
{
    private readonly string _path;
    private readonly SourceLines _lines;
    private readonly ParserDirectiveReader _directives = new();
    private readonly List<ParserWarning> _warnings = [];
    private char _escape = '\\';

    private DockerfileParser(string text, string path)
    {
        _path = path;
        _lines = new SourceLines(text, path);
    }

    public static DockerfileSyntax Parse(string text, string path) => new DockerfileParser(text, path).Run();

    private DockerfileSyntax Run()
    {
        var instructions = new List<InstructionNode>();
        var comments = new List<string>();
        while (_lines.TryRead(out string raw))
        {
            string line = SourceLines.TrimNewline(raw);
            string stripped = line.TrimStart();
            if (stripped.StartsWith('#')) RememberComment(stripped, comments);
            ConsiderDirective(stripped, _lines.CurrentLine);
            if (stripped.StartsWith('#')) stripped = "";

            int startLine = _lines.CurrentLine;
            int column = line.Length - stripped.Length + 1;
            var (joined, complete) = LineContinuation.Trim(stripped, _escape);
            if (complete && joined.Length == 0) continue;
            if (!complete) joined = ReadContinuation(joined);

            var node = NodeFromLine(joined, [.. comments], new SourceRange(startLine, column, startLine));
            node = ReadHeredocBodies(node, joined);
            instructions.Add(node with { Range = node.Range with { EndLine = _lines.CurrentLine } });
            comments.Clear();
        }
        if (instructions.Count == 0)
        {
            throw DockerfileErrors.At(_path, ErrorCodes.DockerfileHasNoInstructions,
                "file with no instructions; a Dockerfile needs at least a FROM instruction.", Math.Max(1, _lines.CurrentLine), 1);
        }
        return new DockerfileSyntax(_path, instructions, _escape, _directives.Parsed, _warnings);
    }

    private static void RememberComment(string stripped, List<string> comments)
    {
        string comment = stripped[1..].Trim();
        if (comment.Length == 0) comments.Clear();
        else comments.Add(comment);
    }

    private void ConsiderDirective(string line, int lineNumber)
    {
        var directive = _directives.Consider(line, lineNumber, _path);
        if (directive is not { Name: "escape" }) return;
        if (directive.Value is not ("\\" or "`"))
        {
            throw DockerfileErrors.At(_path, ErrorCodes.InvalidParserDirective,
                $"invalid escape token '{directive.Value}' does not match ` or \\; use one of them.", lineNumber, 1);
        }
        _escape = directive.Value[0];
    }

    private string ReadContinuation(string joined)
    {
        var text = new StringBuilder(joined);
        bool hasEmptyLine = false, complete = false;
        while (!complete && _lines.TryRead(out string raw))
        {
            string line = SourceLines.TrimNewline(raw);
            ConsiderDirective(line, _lines.CurrentLine);
            string stripped = line.TrimStart();
            if (stripped.StartsWith('#')) continue;
            if (stripped.Length == 0)
            {
                hasEmptyLine = true;
                continue;
            }
            (line, complete) = LineContinuation.Trim(line, _escape);
            text.Append(line);
        }
        if (hasEmptyLine)
        {
            _warnings.Add(new ParserWarning(
                "Empty continuation line found in: " + text,
                "Empty continuation lines will become errors in a future release",
                "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
                _lines.CurrentLine));
        }
        return text.ToString();
    }

    private InstructionNode NodeFromLine(string line, IReadOnlyList<string> comments, SourceRange range)
    {
        string[] parts = Whitespace.SplitAsciiRuns(line.Trim(), 2);
        string keyword = parts[0];
        var (rest, flags) = parts.Length == 2 ? BuilderFlagsExtractor.Extract(parts[1]) : ("", []);
        rest = rest.Trim();
        ContainerizeException Fail(string message) =>
            DockerfileErrors.At(_path, ErrorCodes.InvalidKeyValue, message, range.StartLine, range.StartColumn);
        var chain = ArgumentChains.Split(keyword, rest, _escape, sub => NodeFromLine(sub, [], range), message =>
            message.StartsWith("when using JSON")
                ? DockerfileErrors.At(_path, ErrorCodes.InvalidJsonArray, message, range.StartLine, range.StartColumn)
                : Fail(message));
        return new InstructionNode(keyword, flags, chain.Arguments, chain.IsJson, chain.Trigger, [], line, range, comments);
    }

    private InstructionNode ReadHeredocBodies(InstructionNode node, string line)
    {
        var target = node.Trigger ?? node;
        if (!line.Contains("<<") || target.IsJsonForm || target.Command is not ("RUN" or "COPY" or "ADD")) return node;
        List<Heredoc> openers;
        try
        {
            openers = HeredocOpeners.FromLine(line);
        }
        catch (FormatException e)
        {
            throw DockerfileErrors.At(_path, ErrorCodes.InvalidHeredoc, e.Message + "; close the quote.", node.Range.StartLine, node.Range.StartColumn);
        }
        if (openers.Count == 0) return node;
        var bodies = openers.Select(ReadBody).ToList();
        return node.Trigger is null ? node with { Heredocs = bodies } : node with { Heredocs = bodies, Trigger = node.Trigger with { Heredocs = bodies } };
    }

    private Heredoc ReadBody(Heredoc opener)
    {
        int startLine = _lines.CurrentLine;
        var content = new StringBuilder();
        while (_lines.TryRead(out string raw))
        {
            string candidate = SourceLines.TrimNewline(raw);
            if (opener.Chomp) candidate = candidate.TrimStart('\t');
            if (candidate == opener.Name) return opener with { Content = content.ToString() };
            content.Append(raw);
        }
        throw DockerfileErrors.At(_path, ErrorCodes.UnterminatedHeredoc,
            $"unterminated heredoc {opener.Name}: add a line holding only {opener.Name} to end it.", startLine, 1);
    }
}
