using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>A file written from a heredoc (<c>COPY &lt;&lt;EOF /dest</c>): name, body (chomped) and whether to expand it.</summary>
public sealed record HeredocSource(string Path, string Data, bool Expand);

/// <summary>Sources and destination shared by COPY and ADD, and the flags they share.</summary>
public sealed record FileTransfer(
    IReadOnlyList<string> SourcePaths,
    IReadOnlyList<HeredocSource> SourceContents,
    string Destination,
    string? Chown,
    string? Chmod,
    bool Link,
    IReadOnlyList<string> Excludes);

/// <summary><c>COPY</c> with <c>--from</c> and <c>--parents</c>.</summary>
public sealed record CopyInstruction(SourceRange Range, FileTransfer Files, string? From, bool Parents) : Instruction(Range)
{
    public override string Keyword => "COPY";
}

/// <summary><c>ADD</c> with <c>--keep-git-dir</c>, <c>--checksum</c> and <c>--unpack</c> (null: default).</summary>
public sealed record AddInstruction(SourceRange Range, FileTransfer Files, bool KeepGitDir, string? Checksum, bool? Unpack)
    : Instruction(Range)
{
    public override string Keyword => "ADD";
}
