using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>BuildKit's <c>wordsTest</c>: every line through <see cref="ShellLexer.ProcessWords(string, IVariableLookup)"/>.</summary>
[TestCategory("Unit")]
[TestClass]
public class WordsTestConformanceTests
{
    public static IEnumerable<TestDataRow<WordsCase>> Cases =>
        ShellLexCorpus.WordsCases().Select(c => new TestDataRow<WordsCase>(c) { DisplayName = $"wordsTest:{c.Line} {c.Input}" });

    [TestMethod]
    public void TheCorpusHasEveryUpstreamLine() => Assert.HasCount(24, ShellLexCorpus.WordsCases());

    [TestMethod]
    public void TrailingSpacesOfTheCorpusSurvived() =>
        CollectionAssert.Contains(ShellLexCorpus.WordsCases().Last(c => c.Environment.Count > 0).Environment.ToList(), "trailing=ab c   ");

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void SplitsLikeBuildKit(WordsCase testCase)
    {
        var variables = DictionaryVariables.FromKeyValueList(testCase.Environment);
        var lexer = new ShellLexer();
        if (testCase.ExpectedWords is null)
        {
            var error = Assert.ThrowsExactly<ContainerizeException>(() => lexer.ProcessWords(testCase.Input, variables));
            StringAssert.StartsWith(error.Code, "CTZ51");
            return;
        }
        CollectionAssert.AreEqual(testCase.ExpectedWords.ToList(), lexer.ProcessWords(testCase.Input, variables).Words.ToList());
    }
}
