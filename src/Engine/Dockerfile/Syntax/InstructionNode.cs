namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// One instruction as the parser sees it, before any typing: the keyword as written, the leading
/// <c>--flag</c> words, and the argument chain split by BuildKit's per-instruction rule (raw,
/// unexpanded text). <see cref="Trigger"/> is the nested instruction of <c>ONBUILD</c> (then
/// <see cref="Arguments"/> is empty). <see cref="Original"/> is the joined line.
/// </summary>
public sealed record InstructionNode(
    string Keyword,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Arguments,
    bool IsJsonForm,
    InstructionNode? Trigger,
    IReadOnlyList<Heredoc> Heredocs,
    string Original,
    SourceRange Range,
    IReadOnlyList<string> Comments)
{
    /// <summary>The keyword in upper case, for dispatch.</summary>
    public string Command => Keyword.ToUpperInvariant();
}
