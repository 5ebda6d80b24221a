using Containerize.Engine.Dockerfile.Instructions;

namespace Containerize.Engine.Planning;

/// <summary>A stage as written: its FROM, its lower-case name (after expansion) and the instructions after the FROM.</summary>
internal sealed record StageDeclaration(int Index, FromInstruction From, string? Name, IReadOnlyList<Instruction> Body);
