using Containerize.Engine.Dockerfile.Syntax;
using Kind = Containerize.Engine.Dockerfile.Instructions.InstructionFlags.Kind;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary><c>RUN</c>: command form, heredoc files, mounts, network and security modes.</summary>
internal static class RunInstructionParser
{
    private static readonly Dictionary<string, Kind> Accepted = new()
    {
        ["mount"] = Kind.Strings,
        ["network"] = Kind.String,
        ["security"] = Kind.String,
        ["device"] = Kind.Strings,
    };

    public static RunInstruction Parse(InstructionNode node)
    {
        var flags = InstructionParser.Flags(node, Accepted);
        var mounts = flags.Strings("mount").Select(m => RunMountParser.Parse(m)).ToList();
        var files = node.IsJsonForm ? [] : node.Heredocs;
        return new RunInstruction(node.Range, InstructionParser.Command(node), files, mounts,
            Network(flags.String("network")), Security(flags.String("security")));
    }

    private static RunNetwork Network(string? value) => value?.ToLowerInvariant() switch
    {
        null or "default" => RunNetwork.Default,
        "none" => RunNetwork.None,
        "host" => RunNetwork.Host,
        _ => throw InstructionException.Flag($"unsupported network mode '{value}': use default, none or host"),
    };

    private static RunSecurity Security(string? value) => value?.ToLowerInvariant() switch
    {
        null or "sandbox" => RunSecurity.Sandbox,
        "insecure" => RunSecurity.Insecure,
        _ => throw InstructionException.Flag($"unsupported security mode '{value}': use sandbox or insecure"),
    };
}
