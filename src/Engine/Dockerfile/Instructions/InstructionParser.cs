using System.Text.RegularExpressions;
using Containerize.Engine.Dockerfile.Syntax;
using Kind = Containerize.Engine.Dockerfile.Instructions.InstructionFlags.Kind;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// Syntax node to typed instruction, with BuildKit's checks (argument counts, accepted flags,
/// forms). Every failure is a <see cref="ContainerizeException"/> at the instruction.
/// </summary>
public static partial class InstructionParser
{
    private static readonly Dictionary<string, Kind> NoFlags = [];

    public static Instruction Parse(InstructionNode node, string path)
    {
        try
        {
            return ParseNode(node, path);
        }
        catch (InstructionException e)
        {
            throw new ContainerizeException(e.Code, $"{node.Command}: {e.Message}",
                new SourceLocation(path, node.Range.StartLine, node.Range.StartColumn));
        }
    }

    private static Instruction ParseNode(InstructionNode node, string path)
    {
        var args = node.Arguments;
        var range = node.Range;
        switch (node.Command)
        {
            case "FROM":
                return ParseFrom(node);
            case "RUN":
                return RunInstructionParser.Parse(node);
            case "CMD":
                Flags(node, NoFlags);
                return new CmdInstruction(range, Command(node));
            case "ENTRYPOINT":
                Flags(node, NoFlags);
                return new EntrypointInstruction(range, Command(node));
            case "SHELL":
                Flags(node, NoFlags);
                AtLeastOne(node);
                if (!node.IsJsonForm) throw new InstructionException(ErrorCodes.JsonFormRequired, "SHELL requires the arguments to be in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
                return new ShellInstruction(range, args);
            case "COPY":
            case "ADD":
                return FileInstructionParser.Parse(node);
            case "ENV":
                Flags(node, NoFlags);
                return new EnvInstruction(range, KeyValues(node));
            case "LABEL":
                Flags(node, NoFlags);
                return new LabelInstruction(range, KeyValues(node));
            case "ARG":
                Flags(node, NoFlags);
                AtLeastOne(node);
                return new ArgInstruction(range, args.Select(ArgDeclarationOf).ToList());
            case "WORKDIR":
                return new WorkdirInstruction(range, ExactlyOne(node));
            case "USER":
                return new UserInstruction(range, ExactlyOne(node));
            case "STOPSIGNAL":
                return new StopSignalInstruction(range, ExactlyOne(node));
            case "MAINTAINER":
                return new MaintainerInstruction(range, ExactlyOne(node));
            case "EXPOSE":
                Flags(node, NoFlags);
                AtLeastOne(node);
                return new ExposeInstruction(range, args);
            case "VOLUME":
                Flags(node, NoFlags);
                AtLeastOne(node);
                if (args.Any(a => a.Trim().Length == 0)) throw InstructionException.Argument("VOLUME specified can not be an empty string");
                return new VolumeInstruction(range, args);
            case "HEALTHCHECK":
                return HealthcheckParser.Parse(node);
            case "ONBUILD":
                return ParseOnbuild(node, path);
            default:
                throw new InstructionException(ErrorCodes.UnknownInstruction,
                    $"unknown instruction: {node.Keyword}; check the spelling (known: FROM, RUN, CMD, LABEL, EXPOSE, ENV, ADD, COPY, ENTRYPOINT, VOLUME, USER, WORKDIR, ARG, ONBUILD, STOPSIGNAL, HEALTHCHECK, SHELL)");
        }
    }

    internal static InstructionFlags Flags(InstructionNode node, IReadOnlyDictionary<string, Kind> accepted) =>
        InstructionFlags.Parse(node.Flags, accepted);

    internal static CommandLine Command(InstructionNode node) => new(node.Arguments, !node.IsJsonForm);

    internal static void AtLeastOne(InstructionNode node)
    {
        if (node.Arguments.Count == 0) throw InstructionException.Arguments($"{node.Command} requires at least one argument");
    }

    private static string ExactlyOne(InstructionNode node)
    {
        Flags(node, NoFlags);
        if (node.Arguments.Count != 1) throw InstructionException.Arguments($"{node.Command} requires exactly one argument");
        return node.Arguments[0];
    }

    private static FromInstruction ParseFrom(InstructionNode node)
    {
        var flags = Flags(node, new Dictionary<string, Kind> { ["platform"] = Kind.String });
        var args = node.Arguments;
        if (args.Count != 1 && (args.Count != 3 || !args[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
            throw InstructionException.Arguments("FROM requires either one or three arguments: FROM <image> [AS <name>]");
        string? name = args.Count == 3 ? args[2].ToLowerInvariant() : null;
        if (name is not null && !name.Contains('$') && !StageName().IsMatch(name))
        {
            throw new InstructionException(ErrorCodes.InvalidFromInstruction,
                $"invalid name for build stage: \"{args[2]}\", name can't start with a number or contain symbols");
        }
        return new FromInstruction(node.Range, args[0], name, flags.String("platform"));
    }

    private static List<KeyValue> KeyValues(InstructionNode node)
    {
        AtLeastOne(node);
        var args = node.Arguments;
        if (args.Count % 3 != 0) throw InstructionException.Arguments($"Bad input to {node.Command}, too many arguments");
        var pairs = new List<KeyValue>(args.Count / 3);
        for (int i = 0; i < args.Count; i += 3)
        {
            if (args[i].Length == 0) throw InstructionException.Argument($"{node.Command} names can not be blank");
            pairs.Add(new KeyValue(args[i], args[i + 1]));
        }
        return pairs;
    }

    private static ArgDeclaration ArgDeclarationOf(string word)
    {
        int equals = word.IndexOf('=');
        string name = equals < 0 ? word : word[..equals];
        if (name.Length == 0) throw InstructionException.Argument($"ARG names can not be blank: \"{word}\"");
        return new ArgDeclaration(name, equals < 0 ? null : word[(equals + 1)..]);
    }

    private static OnbuildInstruction ParseOnbuild(InstructionNode node, string path)
    {
        Flags(node, NoFlags);
        var trigger = node.Trigger ?? throw InstructionException.Arguments("ONBUILD requires at least one argument");
        switch (trigger.Command)
        {
            case "ONBUILD":
                throw new InstructionException(ErrorCodes.InvalidOnbuildTrigger, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER":
            case "FROM":
                throw new InstructionException(ErrorCodes.InvalidOnbuildTrigger, $"{trigger.Command} isn't allowed as an ONBUILD trigger");
        }
        string expression = OnbuildPrefix().Replace(node.Original, "");
        return new OnbuildInstruction(node.Range, expression, Parse(trigger, path));
    }

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*\z")]
    private static partial Regex StageName();

    [GeneratedRegex(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase)]
    private static partial Regex OnbuildPrefix();
}
