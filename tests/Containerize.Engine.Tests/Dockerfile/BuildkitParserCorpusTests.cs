using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Syntax;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>BuildKit's parser golden files and its must-fail inputs.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class BuildkitParserCorpusTests
{
    public static IEnumerable<object[]> GoldenCases() => CaseNames("buildkit-parser");

    public static IEnumerable<object[]> NegativeCases() => CaseNames("buildkit-parser-negative");

    [TestMethod]
    [DynamicData(nameof(GoldenCases))]
    public void DumpEqualsBuildkitResult(string name)
    {
        string dockerfile = File.ReadAllText(ConformanceData.PathOf("buildkit-parser", name, "Dockerfile"));
        string expected = File.ReadAllText(ConformanceData.PathOf("buildkit-parser", name, "result"));

        var syntax = DockerfileParser.Parse(dockerfile, "Dockerfile");

        Assert.AreEqual(expected, BuildkitDump.Print(syntax));
    }

    [TestMethod]
    [DynamicData(nameof(NegativeCases))]
    public void NegativeCaseFailsWithLocation(string name)
    {
        string dockerfile = File.ReadAllText(ConformanceData.PathOf("buildkit-parser-negative", name, "Dockerfile"));

        var error = Assert.ThrowsExactly<ContainerizeException>(() => DockerfileLoader.Load(dockerfile, "Dockerfile"));

        Assert.IsNotNull(error.Location);
        Assert.IsTrue(error.Location.Line >= 1, error.ToString());
        StringAssert.StartsWith(error.Code, "CTZ5");
    }

    [TestMethod]
    public void CorpusSizesAreTheKnownOnes()
    {
        Assert.AreEqual(33, GoldenCases().Count());
        Assert.AreEqual(4, NegativeCases().Count());
    }

    private static IEnumerable<object[]> CaseNames(string corpus) =>
        Directory.GetDirectories(ConformanceData.PathOf(corpus))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });
}
