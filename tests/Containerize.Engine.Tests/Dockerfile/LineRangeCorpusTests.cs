using Containerize.Engine.Dockerfile.Syntax;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>buildkit-parser-line: the ranges BuildKit reports (SOURCE.md: root 5–31; 5–5, 11–12, 17–31).</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class LineRangeCorpusTests
{
    [TestMethod]
    public void RangesMatchBuildkit()
    {
        var syntax = DockerfileParser.Parse(File.ReadAllText(ConformanceData.PathOf("buildkit-parser-line", "Dockerfile")), "Dockerfile");

        Assert.AreEqual(5, syntax.StartLine);
        Assert.AreEqual(31, syntax.EndLine);
        CollectionAssert.AreEqual(new[] { "5,1-5", "11,1-12", "17,1-31" },
            syntax.Instructions.Select(n => $"{n.Range.StartLine},{n.Range.StartColumn}-{n.Range.EndLine}").ToArray());
    }

    [TestMethod]
    public void ColumnIsThatOfTheKeyword()
    {
        var syntax = DockerfileParser.Parse("FROM a\n\t  RUN x \\\n y\n", "Dockerfile");

        Assert.AreEqual(new SourceRange(2, 4, 3), syntax.Instructions[1].Range);
    }
}
