using System.Text;
using System.Text.Json;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>The <c>directives</c> section: escape/syntax/check detection as BuildKit does it.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class DirectiveCasesTests
{
    [TestMethod]
    public void EveryDirectiveCase()
    {
        var cases = ExtraCases.Section("directives", "cases").EnumerateArray().ToList();
        var failures = cases.Select(Check).Where(f => f is not null).Select(f => f!).ToList();
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    private static string? Check(JsonElement c)
    {
        string text = c.GetProperty("text").GetString()!;
        if (c.TryGetProperty("text_hex_prefix", out var hex)) text = Encoding.UTF8.GetString(Convert.FromHexString(hex.GetString()!)) + text;
        string api = c.GetProperty("api").GetString()!;
        if (api == "ParseAll")
        {
            string expected = string.Join(";", c.GetProperty("expected").EnumerateArray().Select(p => $"{p[0].GetString()}={p[1].GetString()}"));
            string actual = string.Join(";", ParserDirectiveDetection.ParseAll(text).Where(d => d.Name == "escape").Select(d => $"{d.Name}={d.Value}"));
            return expected == actual ? null : $"ParseAll {text}: {actual}";
        }
        bool syntax = api == "DetectSyntax";
        var found = ParserDirectiveDetection.Detect(text, syntax ? "syntax" : "check", allowSlashComments: syntax);
        if (found is null != !c.GetProperty("found").GetBoolean()) return $"{api} {text}: found={found}";
        if (found is null) return null;
        if (c.TryGetProperty("ref", out var reference) && reference.GetString() != found.Reference) return $"{api} {text}: ref {found.Reference}";
        if (c.TryGetProperty("cmdline", out var cmdline) && cmdline.GetString() != found.Value) return $"{api} {text}: cmdline {found.Value}";
        if (c.TryGetProperty("line", out var line) && line.GetInt32() != found.Line) return $"{api} {text}: line {found.Line}";
        return null;
    }
}
