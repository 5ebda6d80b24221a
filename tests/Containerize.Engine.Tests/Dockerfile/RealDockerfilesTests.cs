using Containerize.Engine.Dockerfile;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>Every real Dockerfile of both collections parses and becomes typed instructions.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class RealDockerfilesTests
{
    private const string ExpectedPrefix = ExpectedCorpusFiles.Corpus + "/dockerfiles/";

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(ConformanceData.PathOf("real-dockerfiles"), "Dockerfile", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ConformanceData.Root, f))
            .Concat(ExpectedCorpusFiles.Names.Select(name => ExpectedPrefix + name))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [TestMethod]
    public void CollectionsHoldTheKnownCounts() => Assert.AreEqual(280 + 219, Cases().Count());

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void LoadsWithoutError(string relativePath)
    {
        string text = File.ReadAllText(relativePath.StartsWith(ExpectedPrefix, StringComparison.Ordinal)
            ? ExpectedCorpusFiles.PathOf(relativePath[ExpectedPrefix.Length..])
            : ConformanceData.PathOf(relativePath));

        var loaded = DockerfileLoader.Load(text, relativePath);

        Assert.HasCount(loaded.Syntax.Instructions.Count, loaded.Instructions);
    }
}
