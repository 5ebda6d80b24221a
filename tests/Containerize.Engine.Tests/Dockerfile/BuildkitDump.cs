using System.Text;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>
/// Prints a syntax tree in BuildKit's AST dump format (tests/conformance/buildkit-parser/FORMAT.md),
/// so our parse can be compared byte for byte with BuildKit's <c>result</c> files.
/// </summary>
internal static class BuildkitDump
{
    public static string Print(DockerfileSyntax syntax)
    {
        var text = new StringBuilder();
        foreach (var node in syntax.Instructions) text.Append('(').Append(Instruction(node)).Append(")\n");
        return text.ToString();
    }

    public static string Instruction(InstructionNode node)
    {
        var text = new StringBuilder(node.Keyword.ToLowerInvariant());
        if (node.Flags.Count > 0)
            text.Append(" [").Append(string.Join(" ", node.Flags.Select(GoQuote.Quote))).Append(']');
        if (node.Trigger is { } trigger) text.Append(" (").Append(Instruction(trigger)).Append(')');
        foreach (string argument in node.Arguments) text.Append(' ').Append(GoQuote.Quote(argument));
        return text.ToString().Trim();
    }
}
