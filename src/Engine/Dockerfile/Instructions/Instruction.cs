using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// A typed Dockerfile instruction. Words are kept as written (quotes, <c>$VAR</c>): expansion
/// happens later, with the build's variables in scope.
/// </summary>
public abstract record Instruction(SourceRange Range)
{
    /// <summary>The upper-case instruction keyword (FROM, RUN…).</summary>
    public abstract string Keyword { get; }
}

/// <summary>
/// A command in exec form (<see cref="IsShellForm"/> false: one argument per JSON element) or
/// shell form (one argument: the text to hand to the SHELL).
/// </summary>
public sealed record CommandLine(IReadOnlyList<string> Arguments, bool IsShellForm);
