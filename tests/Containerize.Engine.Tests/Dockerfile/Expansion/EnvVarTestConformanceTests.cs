using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>BuildKit's <c>envVarTest</c>: every line through <see cref="ShellLexer.ProcessWord(string, IVariableLookup)"/>.</summary>
[TestCategory("Unit")]
[TestClass]
public class EnvVarTestConformanceTests
{
    public static IEnumerable<TestDataRow<EnvVarCase>> Cases =>
        ShellLexCorpus.EnvVarCases().Select(c => new TestDataRow<EnvVarCase>(c) { DisplayName = $"envVarTest:{c.Line} {c.Platform}|{c.Input}" });

    [TestMethod]
    public void TheCorpusHasEveryUpstreamLine() => Assert.HasCount(230, ShellLexCorpus.EnvVarCases());

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ExpandsLikeBuildKit(EnvVarCase testCase)
    {
        // W lines describe Windows images, whose variable names Docker matches case-insensitively;
        // they run here with such a lookup instead of being skipped.
        var variables = new DictionaryVariables(ShellLexCorpus.EnvVarTestEnvironment, ignoreCase: testCase.Platform == "W");
        var lexer = new ShellLexer();
        if (testCase.Expected is null)
        {
            var error = Assert.ThrowsExactly<ContainerizeException>(() => lexer.ProcessWord(testCase.Input, variables));
            StringAssert.StartsWith(error.Code, "CTZ51");
            return;
        }
        Assert.AreEqual(testCase.Expected, lexer.ProcessWord(testCase.Input, variables).Result);
    }
}
