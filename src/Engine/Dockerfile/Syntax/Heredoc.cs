namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// A here-document attached to an instruction. <see cref="Content"/> is the raw body (each line
/// with its newline, leading tabs kept even for <c>&lt;&lt;-</c>; see <see cref="ChompedContent"/>).
/// <see cref="Expand"/> is false when any part of the delimiter word was quoted.
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp, int FileDescriptor)
{
    /// <summary>The body as the instruction uses it: leading tabs stripped when <see cref="Chomp"/>.</summary>
    public string ChompedContent => Chomp ? HeredocBody.StripLeadingTabs(Content) : Content;
}
