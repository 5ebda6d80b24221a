using Containerize.Engine.Dockerfile.Syntax;
using Kind = Containerize.Engine.Dockerfile.Instructions.InstructionFlags.Kind;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary><c>COPY</c> and <c>ADD</c>: sources (paths and heredoc files), destination and flags.</summary>
internal static class FileInstructionParser
{
    private static readonly Dictionary<string, Kind> CopyFlags = new()
    {
        ["from"] = Kind.String, ["chown"] = Kind.String, ["chmod"] = Kind.String, ["link"] = Kind.Bool,
        ["parents"] = Kind.Bool, ["exclude"] = Kind.Strings,
    };

    private static readonly Dictionary<string, Kind> AddFlags = new()
    {
        ["chown"] = Kind.String, ["chmod"] = Kind.String, ["link"] = Kind.Bool, ["keep-git-dir"] = Kind.Bool,
        ["checksum"] = Kind.String, ["exclude"] = Kind.Strings, ["unpack"] = Kind.Bool,
    };

    public static Instruction Parse(InstructionNode node)
    {
        bool isCopy = node.Command == "COPY";
        var flags = InstructionParser.Flags(node, isCopy ? CopyFlags : AddFlags);
        var files = Transfer(node, flags);
        return isCopy
            ? new CopyInstruction(node.Range, files, flags.String("from"), flags.Bool("parents"))
            : new AddInstruction(node.Range, files, flags.Bool("keep-git-dir"), flags.String("checksum"), flags.OptionalBool("unpack"));
    }

    private static FileTransfer Transfer(InstructionNode node, InstructionFlags flags)
    {
        var args = node.Arguments;
        if (args.Count < 2)
        {
            throw InstructionException.Arguments(
                $"{node.Command} requires at least two arguments, but only one was provided. Destination could not be determined");
        }
        string destination = args[^1];
        if (IsHeredoc(destination) is not null)
            throw new InstructionException(ErrorCodes.HeredocNotAllowedHere, $"{node.Command} cannot accept a heredoc as a destination");

        var bodies = node.Heredocs.GroupBy(h => h.Name).ToDictionary(g => g.Key, g => g.First());
        var paths = new List<string>();
        var contents = new List<HeredocSource>();
        foreach (string source in args.Take(args.Count - 1))
        {
            if (!node.IsJsonForm && IsHeredoc(source) is { } opener)
            {
                string data = bodies.TryGetValue(opener.Name, out var body) ? body.Content : "";
                if (opener.Chomp) data = HeredocBody.StripLeadingTabs(data);
                contents.Add(new HeredocSource(opener.Name, data, opener.Expand));
            }
            else
            {
                paths.Add(source);
            }
        }
        return new FileTransfer(paths, contents, destination, flags.String("chown"), flags.String("chmod"),
            flags.Bool("link"), flags.Strings("exclude"));
    }

    private static Heredoc? IsHeredoc(string word)
    {
        try
        {
            return HeredocOpeners.Parse(word);
        }
        catch (FormatException e)
        {
            throw new InstructionException(ErrorCodes.InvalidHeredoc, e.Message);
        }
    }
}
