using System.Text.RegularExpressions;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Planning;

/// <summary>
/// Splits a Dockerfile into its global ARGs and its stages, and names the stages (names expanded
/// with the global scope when they hold a variable, unique, compared in lower case).
/// </summary>
internal static partial class DockerfileStages
{
    public static (IReadOnlyList<ArgInstruction> GlobalArgs, IReadOnlyList<(FromInstruction From, List<Instruction> Body)> Stages) Split(
        LoadedDockerfile dockerfile, string path)
    {
        var globals = new List<ArgInstruction>();
        var stages = new List<(FromInstruction, List<Instruction>)>();
        for (int i = 0; i < dockerfile.Instructions.Count; i++)
        {
            var instruction = dockerfile.Instructions[i];
            if (instruction is FromInstruction from) stages.Add((WithRawVariableName(from, dockerfile.Syntax.Instructions[i]), []));
            else if (stages.Count > 0) stages[^1].Item2.Add(instruction);
            else if (instruction is ArgInstruction arg) globals.Add(arg);
            else
            {
                throw new ContainerizeException(ErrorCodes.NoBuildStage,
                    $"{instruction.Keyword}: no build stage in current context; only ARG may come before the first FROM.",
                    new SourceLocation(path, instruction.Range.StartLine, instruction.Range.StartColumn));
            }
        }
        if (stages.Count == 0)
        {
            throw new ContainerizeException(ErrorCodes.NoBuildStage,
                "the Dockerfile has no FROM instruction, so there is no stage to build.", new SourceLocation(path));
        }
        return (globals, stages);
    }

    // The parser lower-cases stage names; a name holding a variable must be expanded as written first.
    private static FromInstruction WithRawVariableName(FromInstruction instruction, InstructionNode node) =>
        instruction.StageName is { } name && name.Contains('$') && node.Arguments.Count == 3
            ? instruction with { StageName = node.Arguments[2] }
            : instruction;

    public static IReadOnlyList<StageDeclaration> Name(
        IReadOnlyList<(FromInstruction From, List<Instruction> Body)> stages, GlobalScope globals, InstructionExpander expander)
    {
        var declarations = new List<StageDeclaration>(stages.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (from, body) in stages)
        {
            string? name = from.StageName;
            if (name is not null && name.Contains('$'))
            {
                name = expander.WordsFor(from, globals.Variables).One(name).ToLowerInvariant();
                if (!StageName().IsMatch(name))
                {
                    throw new ContainerizeException(ErrorCodes.InvalidFromInstruction,
                        $"FROM: invalid name for build stage: \"{name}\", name can't start with a number or contain symbols", expander.LocationOf(from));
                }
            }
            if (name is not null && !seen.Add(name))
            {
                throw new ContainerizeException(ErrorCodes.DuplicateStageName,
                    $"FROM: duplicate stage name \"{name}\": each stage needs its own name.", expander.LocationOf(from));
            }
            declarations.Add(new StageDeclaration(declarations.Count, from, name, body));
        }
        return declarations;
    }

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*\z")]
    private static partial Regex StageName();
}
