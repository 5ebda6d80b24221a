using System.Text.Json;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

/// <summary>
/// tonistiigi/fsutil's filtered walks (walk_cases) and filtered opens (open_cases): each case's
/// tree is created in a temporary directory and walked with its exclude and include patterns.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class WalkConformanceTests
{
    public static IEnumerable<TestDataRow<string>> WalkIds => Ids("walk_cases");

    public static IEnumerable<TestDataRow<string>> OpenIds => Ids("open_cases");

    [TestMethod]
    [DynamicData(nameof(WalkIds))]
    public void WalkCase(string id)
    {
        var c = DockerignoreCorpus.Section("walk_cases")[id];
        using var dir = new TempDirectory("ctz-walk");
        CorpusTree.Create(dir.Path, DockerignoreCorpus.Strings(c, "tree"));

        if (DockerignoreCorpus.Flag(c, "error"))
        {
            Assert.ThrowsExactly<ContainerizeException>(() => Walk(dir.Path, c));
            return;
        }
        CollectionAssert.AreEqual(DockerignoreCorpus.Strings(c, "expected_walk"), CorpusTree.Describe(Walk(dir.Path, c)));
    }

    [TestMethod]
    [DynamicData(nameof(OpenIds))]
    public void OpenCase(string id)
    {
        var c = DockerignoreCorpus.Section("open_cases")[id];
        using var dir = new TempDirectory("ctz-open");
        CorpusTree.Create(dir.Path, DockerignoreCorpus.Strings(c, "tree"));
        var files = Walk(dir.Path, c).Where(e => e.Kind == ContextEntryKind.File).ToDictionary(e => e.RelativePath);

        foreach (var open in c.GetProperty("opens").EnumerateObject())
        {
            bool opened = files.TryGetValue(open.Name, out var entry) && File.OpenRead(entry.FullPath) is { } stream && Dispose(stream);
            Assert.AreEqual(open.Value.GetBoolean(), opened, open.Name);
        }
    }

    private static IReadOnlyList<ContextEntry> Walk(string root, JsonElement c)
    {
        string[] includes = DockerignoreCorpus.Strings(c, "include_patterns");
        return ContextWalker.Walk(root, IgnorePatterns.Create(DockerignoreCorpus.Strings(c, "exclude_patterns")),
            includes.Length == 0 ? null : IgnorePatterns.Create(includes), CancellationToken.None);
    }

    private static bool Dispose(Stream stream)
    {
        stream.Dispose();
        return true;
    }

    private static IEnumerable<TestDataRow<string>> Ids(string section) =>
        DockerignoreCorpus.Section(section).Select(kv => DockerignoreCorpus.Row(kv.Key,
            $"{kv.Value.GetProperty("test").GetString()} -[{string.Join(", ", DockerignoreCorpus.Strings(kv.Value, "exclude_patterns"))}] +[{string.Join(", ", DockerignoreCorpus.Strings(kv.Value, "include_patterns"))}]"));
}
