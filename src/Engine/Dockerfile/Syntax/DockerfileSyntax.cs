namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// A parsed Dockerfile: instructions in file order, the escape character in force, the parser
/// directives found at the top, and warnings (e.g. empty continuation lines). The first and last
/// lines are those of the first and last instruction.
/// </summary>
public sealed record DockerfileSyntax(
    string Path,
    IReadOnlyList<InstructionNode> Instructions,
    char EscapeToken,
    IReadOnlyList<ParserDirective> Directives,
    IReadOnlyList<ParserWarning> Warnings)
{
    public int StartLine => Instructions[0].Range.StartLine;

    public int EndLine => Instructions[^1].Range.EndLine;
}

/// <summary>A parser directive (<c># name=value</c>) at the top of the file; name in lower case.</summary>
public sealed record ParserDirective(string Name, string Value, int Line);

/// <summary>A non-fatal finding of the parser, with BuildKit's short text and detail.</summary>
public sealed record ParserWarning(string Short, string Detail, string Url, int Line);
