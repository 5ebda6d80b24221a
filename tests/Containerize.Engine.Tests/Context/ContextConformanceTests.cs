using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

/// <summary>
/// BuildKit's .dockerignore integration tests (context_cases), checked where this layer decides
/// them: the ignore file chosen for the Dockerfile and the files the walk hands to "COPY . .".
/// The RUN assertions inside two of the Dockerfiles check the same files inside the build.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class ContextConformanceTests
{
    public static IEnumerable<TestDataRow<string>> CaseIds =>
        DockerignoreCorpus.Section("context_cases").Select(kv => DockerignoreCorpus.Row(kv.Key, $"{kv.Value.GetProperty("test").GetString()}"));

    [TestMethod]
    [DynamicData(nameof(CaseIds))]
    public void ContextCase(string id)
    {
        var c = DockerignoreCorpus.Section("context_cases")[id];
        using var dir = new TempDirectory("ctz-context");
        foreach (var file in c.GetProperty("files").EnumerateObject()) File.WriteAllText(dir.Combine(file.Name), file.Value.GetString());
        string dockerfile = c.GetProperty("dockerfile").GetString()!;

        string? ignoreFile = DockerignoreFile.Locate(dir.Path, dockerfile);
        if (DockerignoreCorpus.Flag(c, "expected_error"))
        {
            var e = Assert.ThrowsExactly<ContainerizeException>(() => DockerignoreFile.Read(ignoreFile!));
            Assert.AreEqual(new SourceLocation(ignoreFile!, 1, 1), e.Location);
            return;
        }

        var patterns = ignoreFile is null ? IgnorePatterns.Empty : DockerignoreFile.Read(ignoreFile);
        var copied = ContextWalker.Walk(dir.Path, patterns, CancellationToken.None)
            .Where(e => e.Kind == ContextEntryKind.File)
            .ToDictionary(e => e.RelativePath, e => File.ReadAllText(e.FullPath));

        foreach (var present in c.GetProperty("expected_present").EnumerateObject())
        {
            Assert.IsTrue(copied.TryGetValue(present.Name, out string? content), $"{present.Name} should be in the context");
            Assert.AreEqual(present.Value.GetString(), content);
        }
        foreach (string absent in DockerignoreCorpus.Strings(c, "expected_absent"))
        {
            Assert.IsFalse(copied.ContainsKey(absent), $"{absent} should not be in the context");
        }
    }
}
