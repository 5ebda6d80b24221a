using Containerize.Engine.Dockerfile.Syntax;
using Kind = Containerize.Engine.Dockerfile.Instructions.InstructionFlags.Kind;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary><c>HEALTHCHECK NONE</c> or <c>HEALTHCHECK [options] CMD command</c>, durations parsed.</summary>
internal static class HealthcheckParser
{
    private static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(1);

    private static readonly Dictionary<string, Kind> Accepted = new()
    {
        ["interval"] = Kind.String,
        ["timeout"] = Kind.String,
        ["start-period"] = Kind.String,
        ["start-interval"] = Kind.String,
        ["retries"] = Kind.String,
    };

    public static HealthcheckInstruction Parse(InstructionNode node)
    {
        InstructionParser.AtLeastOne(node);
        var flags = InstructionParser.Flags(node, Accepted);
        string type = node.Arguments[0].ToUpperInvariant();
        var command = node.Arguments.Skip(1).ToList();
        if (type == "NONE")
        {
            if (command.Count != 0) throw Invalid("HEALTHCHECK NONE takes no arguments");
            return new HealthcheckInstruction(node.Range, ["NONE"], TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);
        }
        if (type != "CMD") throw Invalid($"Unknown type \"{node.Arguments[0]}\" in HEALTHCHECK (try CMD)");
        if (command.Count == 0) throw Invalid("Missing command after HEALTHCHECK CMD");
        string testType = node.IsJsonForm ? "CMD" : "CMD-SHELL";
        return new HealthcheckInstruction(node.Range, [testType, .. command],
            Interval(flags, "interval"), Interval(flags, "timeout"), Interval(flags, "start-period"),
            Interval(flags, "start-interval"), Retries(flags.String("retries")));
    }

    private static TimeSpan Interval(InstructionFlags flags, string name)
    {
        string? text = flags.String(name);
        if (string.IsNullOrEmpty(text)) return TimeSpan.Zero;
        TimeSpan value;
        try
        {
            value = GoDuration.Parse(text);
        }
        catch (FormatException e)
        {
            throw Invalid($"--{name}: {e.Message}");
        }
        if (value != TimeSpan.Zero && value < Minimum) throw Invalid($"Interval \"{name}\" cannot be less than 1ms");
        return value;
    }

    private static int Retries(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int retries))
            throw Invalid($"--retries={text} is not a whole number");
        return retries >= 0 ? retries : throw Invalid($"--retries cannot be negative ({retries})");
    }

    private static InstructionException Invalid(string message) => new(ErrorCodes.InvalidHealthcheck, message);
}
