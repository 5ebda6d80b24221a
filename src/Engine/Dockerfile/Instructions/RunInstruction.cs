using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// <c>RUN</c>: the command, the heredoc files its shell form opens (bodies raw; see
/// <see cref="Heredoc.ChompedContent"/>), <c>--mount</c>s, <c>--network</c> and <c>--security</c>.
/// </summary>
public sealed record RunInstruction(
    SourceRange Range,
    CommandLine Command,
    IReadOnlyList<Heredoc> Files,
    IReadOnlyList<RunMount> Mounts,
    RunNetwork Network,
    RunSecurity Security) : Instruction(Range)
{
    public override string Keyword => "RUN";
}

public enum RunNetwork { Default, None, Host }

public enum RunSecurity { Sandbox, Insecure }
