using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>
/// The shell-lex corpora seen through <see cref="ShellLexer.ForHeredocBodies"/>. Upstream's
/// quotes-literal mode differs from the ordinary one only in what it does with <c>'</c> and
/// <c>"</c>, so every corpus input without a quote character must expand (or fail) exactly as the
/// corpus says; inputs with quotes must keep every quote character.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class HeredocBodyConformanceTests
{
    private static bool HasQuote(string input) => input.Contains('\'') || input.Contains('"');

    public static IEnumerable<TestDataRow<EnvVarCase>> QuoteFreeEnvVarCases =>
        ShellLexCorpus.EnvVarCases().Where(c => !HasQuote(c.Input))
            .Select(c => new TestDataRow<EnvVarCase>(c) { DisplayName = $"envVarTest:{c.Line} {c.Platform}|{c.Input}" });

    public static IEnumerable<TestDataRow<LexCase>> QuoteFreeLexCases()
    {
        using var document = ShellLexCorpus.LexCases();
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(LexCase.From)
            .Where(c => !HasQuote(c.Input))
            .Select(c => new TestDataRow<LexCase>(c) { DisplayName = $"{c.Id} {c.Input}" })
            .ToList();
    }

    [TestMethod]
    public void MostOfTheCorpusIsQuoteFree()
    {
        Assert.HasCount(187, QuoteFreeEnvVarCases.ToList());
        Assert.IsGreaterThan(40, QuoteFreeLexCases().Count());
    }

    [TestMethod]
    [DynamicData(nameof(QuoteFreeEnvVarCases))]
    public void EnvVarTestExpandsAsUpstream(EnvVarCase testCase)
    {
        var variables = new DictionaryVariables(ShellLexCorpus.EnvVarTestEnvironment, ignoreCase: testCase.Platform == "W");
        if (testCase.Expected is null)
        {
            var error = Assert.ThrowsExactly<ContainerizeException>(() => ShellLexer.ForHeredocBodies.ProcessWord(testCase.Input, variables));
            StringAssert.StartsWith(error.Code, "CTZ51");
            return;
        }
        Assert.AreEqual(testCase.Expected, ShellLexer.ForHeredocBodies.ProcessWord(testCase.Input, variables).Result);
    }

    [TestMethod]
    [DynamicData(nameof(QuoteFreeLexCases))]
    public void LexCasesExpandAsUpstream(LexCase testCase)
    {
        var variables = new DictionaryVariables(testCase.Environment);
        if (testCase.Expected is null)
        {
            var error = Assert.ThrowsExactly<ContainerizeException>(() => ShellLexer.ForHeredocBodies.ProcessWord(testCase.Input, variables));
            if (testCase.ErrorContains is { } fragment) StringAssert.Contains(error.Message, fragment);
            return;
        }
        var result = ShellLexer.ForHeredocBodies.ProcessWord(testCase.Input, variables);
        Assert.AreEqual(testCase.Expected, result.Result);
        if (testCase.Matched is { } matched) CollectionAssert.AreEquivalent(matched.ToList(), result.Matched.ToList(), "matched");
        if (testCase.Unmatched is { } unmatched) CollectionAssert.AreEquivalent(unmatched.ToList(), result.Unmatched.ToList(), "unmatched");
    }

    [TestMethod]
    public void QuotedCorpusInputsKeepEveryQuote()
    {
        var failures = new List<string>();
        var cases = ShellLexCorpus.EnvVarCases().Where(c => HasQuote(c.Input) && !c.Input.Contains('\\') && !c.Input.Contains('{')).ToList();
        foreach (var testCase in cases)
        {
            var variables = new DictionaryVariables(ShellLexCorpus.EnvVarTestEnvironment, ignoreCase: testCase.Platform == "W");
            string result;
            try
            {
                result = ShellLexer.ForHeredocBodies.ProcessWord(testCase.Input, variables).Result;
            }
            catch (ContainerizeException)
            {
                continue; // a substitution error, not a quote error: checked by the quote-free cases
            }
            int Quotes(string s) => s.Count(ch => ch is '\'' or '"');
            // Values in this environment hold no quotes, so every quote in the result is one of the input's.
            if (Quotes(result) != Quotes(testCase.Input)) failures.Add($"line {testCase.Line}: {testCase.Input} → {result}");
        }
        Assert.IsGreaterThan(10, cases.Count);
        Assert.IsEmpty(failures, string.Join("\n", failures));
    }
}
