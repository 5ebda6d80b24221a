using System.Text.RegularExpressions;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Recognises parser directives (<c>escape</c>, <c>syntax</c>, <c>check</c>) in the leading lines
/// of a file. The first line that is not a known directive ends the block for good, whatever it
/// is (an empty line, an ordinary comment, an unknown directive, an instruction).
/// </summary>
internal sealed partial class ParserDirectiveReader
{
    private static readonly HashSet<string> KnownNames = ["escape", "syntax", "check"];

    private readonly List<ParserDirective> _parsed = [];
    private bool _done;

    public IReadOnlyList<ParserDirective> Parsed => _parsed;

    /// <summary>Looks at one line (newline already removed); returns the directive it holds, if any.</summary>
    public ParserDirective? Consider(string line, int lineNumber, string path)
    {
        if (_done) return null;
        var match = HashDirective().Match(line);
        string name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (!match.Success || !KnownNames.Contains(name))
        {
            _done = true;
            return null;
        }
        if (_parsed.Any(d => d.Name == name))
        {
            throw DockerfileErrors.At(path, ErrorCodes.InvalidParserDirective,
                $"only one {name} parser directive can be used; remove the repeated one.", lineNumber, 1);
        }
        var directive = new ParserDirective(name, match.Groups[2].Value, lineNumber);
        _parsed.Add(directive);
        return directive;
    }

    [GeneratedRegex(@"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*\z")]
    private static partial Regex HashDirective();
}
