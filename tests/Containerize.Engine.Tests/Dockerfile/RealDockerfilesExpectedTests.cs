using System.Text.Json;
using Containerize.Engine.Dockerfile.Syntax;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>
/// 219 real Dockerfiles with BuildKit's own parse: our dump equals its <c>.result</c>, and the
/// line ranges and heredocs equal its <c>.ast.json</c>.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class RealDockerfilesExpectedTests
{
    private const string Corpus = ExpectedCorpusFiles.Corpus;

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(ConformanceData.PathOf(Corpus, "expected"), "*.result", SearchOption.AllDirectories)
            .Select(result => Path.GetRelativePath(ConformanceData.PathOf(Corpus, "expected"), result)[..^".result".Length])
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name });

    [TestMethod]
    public void CorpusHoldsAllCases() => Assert.AreEqual(219, Cases().Count());

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void DumpEqualsBuildkitResult(string name)
    {
        var syntax = Parse(name);
        string expected = File.ReadAllText(ConformanceData.PathOf(Corpus, "expected", name + ".result"));

        Assert.AreEqual(expected, BuildkitDump.Print(syntax));
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void LinesHeredocsAndWarningsEqualBuildkitAst(string name)
    {
        var syntax = Parse(name);
        using var ast = ConformanceData.LoadJson(Corpus, "expected", name + ".ast.json");
        var expected = ast.RootElement.GetProperty("instructions").EnumerateArray().ToList();

        Assert.HasCount(expected.Count, syntax.Instructions);
        Assert.AreEqual(ast.RootElement.GetProperty("escapeToken").GetString(), syntax.EscapeToken.ToString());
        Assert.AreEqual(ast.RootElement.GetProperty("warnings").GetArrayLength(), syntax.Warnings.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var node = syntax.Instructions[i];
            string where = $"instruction {i} ({node.Original})";
            Assert.AreEqual(expected[i].GetProperty("startLine").GetInt32(), node.Range.StartLine, where);
            Assert.AreEqual(expected[i].GetProperty("endLine").GetInt32(), node.Range.EndLine, where);
            Assert.AreEqual(expected[i].GetProperty("json").GetBoolean(), node.IsJsonForm, where);
            Assert.AreEqual(HeredocText(expected[i].GetProperty("heredocs")), HeredocText(node.Heredocs), where);
        }
    }

    private static DockerfileSyntax Parse(string name)
    {
        string text = File.ReadAllText(ExpectedCorpusFiles.PathOf(name));
        return DockerfileParser.Parse(text, name);
    }

    private static string HeredocText(JsonElement heredocs) => string.Join("|", heredocs.EnumerateArray().Select(h =>
        $"{h.GetProperty("name").GetString()},{h.GetProperty("expand").GetBoolean()},{h.GetProperty("chomp").GetBoolean()},{h.GetProperty("content").GetString()}"));

    private static string HeredocText(IReadOnlyList<Heredoc> heredocs) =>
        string.Join("|", heredocs.Select(h => $"{h.Name},{h.Expand},{h.Chomp},{h.Content}"));
}
