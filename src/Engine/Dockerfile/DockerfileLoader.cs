using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile;

/// <summary>A Dockerfile's syntax tree and its typed instructions, in the same order.</summary>
public sealed record LoadedDockerfile(DockerfileSyntax Syntax, IReadOnlyList<Instruction> Instructions);

/// <summary>Dockerfile text to typed instructions: the parser, then the instruction models.</summary>
public static class DockerfileLoader
{
    /// <exception cref="Diagnostics.ContainerizeException">Any syntax or instruction error, positioned.</exception>
    public static LoadedDockerfile Load(string text, string path)
    {
        var syntax = DockerfileParser.Parse(text, path);
        var instructions = syntax.Instructions.Select(node => InstructionParser.Parse(node, path)).ToList();
        return new LoadedDockerfile(syntax, instructions);
    }
}
