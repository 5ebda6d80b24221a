using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>
/// <c>lex-cases.json</c>: upstream's table tests (results, matched and unmatched names, required
/// variables' messages) and its environment-lookup cases.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class LexCasesConformanceTests
{
    public static IEnumerable<TestDataRow<LexCase>> Cases()
    {
        using var document = ShellLexCorpus.LexCases();
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(LexCase.From)
            .Select(c => new TestDataRow<LexCase>(c) { DisplayName = $"{c.Id} {c.Input}" })
            .ToList();
    }

    public static IEnumerable<TestDataRow<(string Id, string[] Entries, string Name, string Expected)>> LookupCases()
    {
        using var document = ShellLexCorpus.LexCases();
        return document.RootElement.GetProperty("getenv_cases").EnumerateArray()
            .Select(e => (
                Id: e.GetProperty("id").GetString()!,
                Entries: e.GetProperty("env_list").EnumerateArray().Select(v => v.GetString()!).ToArray(),
                Name: e.GetProperty("name").GetString()!,
                Expected: e.GetProperty("expected").GetString()!))
            .Select(c => new TestDataRow<(string, string[], string, string)>(c) { DisplayName = c.Id })
            .ToList();
    }

    [TestMethod]
    public void TheCorpusHasEveryUpstreamCase()
    {
        Assert.HasCount(56, Cases().ToList());
        Assert.HasCount(7, LookupCases().ToList());
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ExpandsLikeBuildKit(LexCase testCase)
    {
        var variables = new DictionaryVariables(testCase.Environment);
        var lexer = new ShellLexer();
        if (testCase.Expected is null)
        {
            var error = Assert.ThrowsExactly<ContainerizeException>(() => lexer.ProcessWord(testCase.Input, variables));
            StringAssert.StartsWith(error.Code, "CTZ51");
            if (testCase.ErrorContains is { } fragment) StringAssert.Contains(error.Message, fragment);
            return;
        }

        ExpansionResult result = lexer.ProcessWord(testCase.Input, variables);
        Assert.AreEqual(testCase.Expected, result.Result);
        if (testCase.Matched is { } matched)
            CollectionAssert.AreEquivalent(matched.ToList(), result.Matched.ToList(), "matched");
        if (testCase.Unmatched is { } unmatched)
            CollectionAssert.AreEquivalent(unmatched.ToList(), result.Unmatched.ToList(), "unmatched");
    }

    [TestMethod]
    [DynamicData(nameof(LookupCases))]
    public void LooksUpLikeBuildKit((string Id, string[] Entries, string Name, string Expected) testCase)
    {
        var variables = DictionaryVariables.FromKeyValueList(testCase.Entries);
        variables.TryGet(testCase.Name, out string value);
        Assert.AreEqual(testCase.Expected, value);
    }
}
