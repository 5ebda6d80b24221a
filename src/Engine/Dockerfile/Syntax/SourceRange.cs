namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Where an instruction sits in its Dockerfile: 1-based first line and column (of the keyword)
/// and 1-based last line, heredoc bodies and continuation lines included, as BuildKit reports it.
/// </summary>
public readonly record struct SourceRange(int StartLine, int StartColumn, int EndLine);
