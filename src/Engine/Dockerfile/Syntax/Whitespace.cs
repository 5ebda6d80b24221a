using System.Text.RegularExpressions;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// The two notions of white space BuildKit's parser mixes: Unicode white space for trimming and
/// word scanning, and the ASCII run <c>[\t\v\f\r ]+</c> for splitting keyword and arguments.
/// </summary>
internal static partial class Whitespace
{
    public static string[] SplitAsciiRuns(string text, int count = -1) =>
        count < 0 ? AsciiRun().Split(text) : AsciiRun().Split(text, count);

    [GeneratedRegex("[\t\v\f\r ]+")]
    private static partial Regex AsciiRun();
}
