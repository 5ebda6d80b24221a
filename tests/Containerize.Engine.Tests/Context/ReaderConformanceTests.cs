using System.Text.Json;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Context;

/// <summary>patternmatcher's list cleaning (clean_cases), ignore-file reading (ignorefile_cases) and pattern classification (compile_cases).</summary>
[TestCategory("Unit")]
[TestClass]
public class ReaderConformanceTests
{
    public static IEnumerable<TestDataRow<string>> CleanIds => Ids("clean_cases", c => string.Join(", ", DockerignoreCorpus.Strings(c, "patterns")));

    public static IEnumerable<TestDataRow<string>> IgnoreFileIds => Ids("ignorefile_cases", c => c.GetProperty("test").GetString()!);

    public static IEnumerable<TestDataRow<string>> CompileIds => Ids("compile_cases", c => c.GetProperty("pattern").GetString()!);

    [TestMethod]
    [DynamicData(nameof(CleanIds))]
    public void CleanCase(string id)
    {
        var c = DockerignoreCorpus.Section("clean_cases")[id];
        string[] patterns = DockerignoreCorpus.Strings(c, "patterns");
        if (DockerignoreCorpus.Flag(c, "error"))
        {
            var e = Assert.ThrowsExactly<ContainerizeException>(() => IgnorePatterns.Create(patterns));
            Assert.AreEqual(ErrorCodes.IllegalIgnoreException, e.Code);
            return;
        }
        var matcher = IgnorePatterns.Create(patterns);
        Assert.HasCount(c.GetProperty("expected_count").GetInt32(), matcher.Rules);
        Assert.AreEqual(c.GetProperty("expected_exclusions").GetBoolean(), matcher.HasExceptions);
    }

    [TestMethod]
    [DynamicData(nameof(IgnoreFileIds))]
    public void IgnoreFileCase(string id)
    {
        var c = DockerignoreCorpus.Section("ignorefile_cases")[id];
        string[] expected = DockerignoreCorpus.Strings(c, "expected_patterns");
        using var dir = new TestSupport.TempDirectory("ctz-ignore");
        string file = dir.Combine(".dockerignore");
        if (c.GetProperty("content").ValueKind == JsonValueKind.String) File.WriteAllText(file, c.GetProperty("content").GetString());

        string[] read = File.Exists(file) ? DockerignoreFile.ReadLines(File.ReadAllText(file), file).Select(p => p.Text).ToArray() : [];
        CollectionAssert.AreEqual(expected, read);

        if (expected.Contains("!"))
        {
            var e = Assert.ThrowsExactly<ContainerizeException>(() => DockerignoreFile.Read(file));
            Assert.AreEqual(ErrorCodes.IllegalIgnoreException, e.Code);
        }
        else
        {
            CollectionAssert.AreEqual(expected, DockerignoreFile.Read(file).Rules.Select(r => r.ToString()).ToArray());
        }
    }

    [TestMethod]
    [DynamicData(nameof(CompileIds))]
    public void CompileCase(string id)
    {
        var c = DockerignoreCorpus.Section("compile_cases")[id];
        var rule = IgnorePatterns.Create([c.GetProperty("pattern").GetString()!]).Rules.Single();
        string expectedKind = c.GetProperty("match_type").GetString()!;
        Assert.AreEqual(expectedKind, KindName(rule.Kind));
        if (rule.Kind == GlobMatchKind.Wildcard) Assert.AreEqual(c.GetProperty("regexp_slash").GetString(), rule.Glob.RegexText);
    }

    private static string KindName(GlobMatchKind kind) => kind switch
    {
        GlobMatchKind.Exact => "exactMatch",
        GlobMatchKind.Prefix => "prefixMatch",
        GlobMatchKind.Suffix => "suffixMatch",
        _ => "regexpMatch",
    };

    private static IEnumerable<TestDataRow<string>> Ids(string section, Func<JsonElement, string> shown) =>
        DockerignoreCorpus.Section(section).Select(kv => DockerignoreCorpus.Row(kv.Key, shown(kv.Value)));
}
