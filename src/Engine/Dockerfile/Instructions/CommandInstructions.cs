using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary><c>CMD</c>: the image's default command.</summary>
public sealed record CmdInstruction(SourceRange Range, CommandLine Command) : Instruction(Range)
{
    public override string Keyword => "CMD";
}

/// <summary><c>ENTRYPOINT</c>: the image's entrypoint.</summary>
public sealed record EntrypointInstruction(SourceRange Range, CommandLine Command) : Instruction(Range)
{
    public override string Keyword => "ENTRYPOINT";
}

/// <summary><c>SHELL</c>: the shell (JSON form only) used by later shell-form commands.</summary>
public sealed record ShellInstruction(SourceRange Range, IReadOnlyList<string> Shell) : Instruction(Range)
{
    public override string Keyword => "SHELL";
}
