namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// An expansion error inside the lexer, before <see cref="ShellLexer"/> knows the whole word and
/// the caller's location; it never leaves the lexer (it becomes a ContainerizeException).
/// </summary>
internal sealed class ExpansionFailure(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
