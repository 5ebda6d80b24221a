using System.Text.Json;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>
/// <c>lex-cases.json</c> <c>helpers</c>: upstream's tests of its pattern helpers, restated as what
/// they mean for <see cref="ShellPattern"/> (which does not build regular expressions or reverse
/// strings, but must accept and reject the same patterns and reverse them the same way).
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class PatternHelperConformanceTests
{
    public static IEnumerable<TestDataRow<string>> ValidPatterns() =>
        Helper("convert_shell_pattern_to_regex", h => h.GetProperty("valid").EnumerateObject().Select(p => p.Name).ToList())
            .Select(p => new TestDataRow<string>(p) { DisplayName = $"valid {p}" });

    public static IEnumerable<TestDataRow<string>> InvalidPatterns() =>
        Helper("convert_shell_pattern_to_regex", h => h.GetProperty("invalid").EnumerateArray().Select(v => v.GetString()!).ToList())
            .Select(p => new TestDataRow<string>(p) { DisplayName = $"invalid {p}" });

    public static IEnumerable<TestDataRow<(string Pattern, string Reversed)>> Reversals() =>
        Helper("reverse_pattern", h => h.GetProperty("cases").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList())
            .Select(c => new TestDataRow<(string, string)>(c) { DisplayName = $"reverse {c.Item1}" });

    [TestMethod]
    [DynamicData(nameof(ValidPatterns))]
    public void AcceptsWhatUpstreamCompiles(string pattern) => ShellPattern.Parse(pattern);

    [TestMethod]
    [DynamicData(nameof(InvalidPatterns))]
    public void RejectsWhatUpstreamCannotCompile(string pattern)
    {
        var failure = Assert.ThrowsExactly<ExpansionFailure>(() => ShellPattern.Parse(pattern));
        Assert.AreEqual(ErrorCodes.InvalidSubstitutionPattern, failure.Code);
    }

    [TestMethod]
    [DynamicData(nameof(Reversals))]
    public void ReversesPatternsAsUpstreamDoes((string Pattern, string Reversed) testCase)
    {
        var forward = TryParse(testCase.Pattern);
        var reversed = TryParse(testCase.Reversed);
        Assert.AreEqual(forward is null, reversed is null, "both patterns are valid or both are rejected");
        if (forward is null || reversed is null) return;
        CollectionAssert.AreEqual(forward.Tokens.Reverse().ToList(), reversed.Tokens.ToList());
    }

    [TestMethod]
    public void ValidPatternsMatchTheirLiteralText()
    {
        Assert.AreEqual("x", ShellPattern.Parse("(()[]{\\}^$.\\*\\?|\\\\").RemovePrefix("(()[]{}^$.*?|\\x", longest: true));
        Assert.AreEqual("", ShellPattern.Parse("*").RemovePrefix("abc", longest: true));
        Assert.AreEqual("bc", ShellPattern.Parse("?").RemovePrefix("abc", longest: true));
        Assert.AreEqual("b", ShellPattern.Parse("\\*").RemovePrefix("*b", longest: true));
    }

    private static ShellPattern? TryParse(string pattern)
    {
        try
        {
            return ShellPattern.Parse(pattern);
        }
        catch (ExpansionFailure)
        {
            return null;
        }
    }

    private static List<T> Helper<T>(string name, Func<JsonElement, List<T>> read)
    {
        using var document = ShellLexCorpus.LexCases();
        return read(document.RootElement.GetProperty("helpers").GetProperty(name));
    }
}
