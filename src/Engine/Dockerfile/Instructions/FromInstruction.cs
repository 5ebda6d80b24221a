using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary><c>FROM [--platform=p] image [AS name]</c>; the stage name is lower-cased like Docker's.</summary>
public sealed record FromInstruction(SourceRange Range, string Image, string? StageName, string? Platform)
    : Instruction(Range)
{
    public override string Keyword => "FROM";
}
