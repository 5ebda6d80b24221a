using System.Text.Json;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>
/// The <c>directives</c> section's ParseAll cases: the directives the parser finds at the top of a
/// file. Its DetectSyntax and ParseDirective(check) cases are BuildKit's frontend selection, which
/// containerize does not do (a syntax directive is recognised and otherwise ignored).
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class DirectiveCasesTests
{
    [TestMethod]
    public void EveryDirectiveCase()
    {
        var cases = ExtraCases.Section("directives", "cases").EnumerateArray().Where(c => c.GetProperty("api").GetString() == "ParseAll").ToList();
        var failures = cases.Select(Check).Where(f => f is not null).Select(f => f!).ToList();
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    private static string? Check(JsonElement c)
    {
        string text = c.GetProperty("text").GetString()!;
        string expected = string.Join(";", c.GetProperty("expected").EnumerateArray().Select(p => $"{p[0].GetString()}={p[1].GetString()}"));
        string actual = string.Join(";", ParseAll(text).Where(d => d.Name == "escape").Select(d => $"{d.Name}={d.Value}"));
        return expected == actual ? null : $"ParseAll {text}: {actual}";
    }

    /// <summary>The known directives at the top of <paramref name="text"/>, as the parser reads them; none when a directive repeats.</summary>
    private static IReadOnlyList<ParserDirective> ParseAll(string text)
    {
        var reader = new ParserDirectiveReader();
        string[] lines = text.Split('\n');
        try
        {
            for (int i = 0; i < lines.Length; i++) reader.Consider(lines[i].TrimEnd('\r'), i + 1, "");
        }
        catch (Diagnostics.ContainerizeException)
        {
            return [];
        }
        return reader.Parsed;
    }
}
