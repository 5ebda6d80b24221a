using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Instructions;

namespace Containerize.Engine.Planning;

/// <summary>
/// The ONBUILD triggers of a base image's config, parsed like Dockerfile lines and placed at the
/// start of the stage, as Docker runs them. They have no line of their own, so they carry the
/// FROM's position (errors point at the FROM that brought them in).
/// </summary>
internal static class OnbuildTriggers
{
    public static IReadOnlyList<Instruction> Parse(IReadOnlyList<string>? triggers, FromInstruction from, SourceLocation location)
    {
        if (triggers is null or { Count: 0 }) return [];
        var instructions = new List<Instruction>(triggers.Count);
        foreach (string trigger in triggers.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            var parsed = ParseOne(trigger, location);
            if (parsed is FromInstruction or OnbuildInstruction or MaintainerInstruction)
            {
                throw new ContainerizeException(ErrorCodes.InvalidOnbuildTrigger,
                    $"FROM: the base image's ONBUILD trigger \"{trigger}\" uses {parsed.Keyword}, which isn't allowed as a trigger.", location);
            }
            instructions.Add(parsed with { Range = from.Range });
        }
        return instructions;
    }

    private static Instruction ParseOne(string trigger, SourceLocation location)
    {
        try
        {
            var loaded = DockerfileLoader.Load(trigger, location.File);
            if (loaded.Instructions.Count == 1) return loaded.Instructions[0];
        }
        catch (ContainerizeException e)
        {
            throw new ContainerizeException(ErrorCodes.InvalidOnbuildTrigger,
                $"FROM: the base image's ONBUILD trigger \"{trigger}\" is invalid: {e.Message}", location, e);
        }
        throw new ContainerizeException(ErrorCodes.InvalidOnbuildTrigger,
            $"FROM: the base image's ONBUILD trigger \"{trigger}\" must be exactly one instruction.", location);
    }
}
