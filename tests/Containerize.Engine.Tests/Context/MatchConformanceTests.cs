using System.Text.Json;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Context;

/// <summary>
/// moby/patternmatcher's matching tables (match_cases), one test per case. Cases upstream runs
/// only on Unix are left out on Windows, where '\' is a path separator and not an escape;
/// <see cref="ExcludedCasesAreExactlyThePlatformOnes"/> pins the excluded set.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class MatchConformanceTests
{
    private const string UnixOnly = "upstream skips it on Windows: '\\' is the path separator there, not an escape";

    /// <summary>The corpus cases marked "platform": "unix"; excluded, with <see cref="UnixOnly"/>, on Windows only.</summary>
    private static readonly string[] UnixOnlyCases =
    [
        "match-080", "match-105", "match-106", "match-115", "match-116", "match-117",
        "match-118", "match-119", "match-120", "match-121", "match-122", "match-131",
    ];

    private static IReadOnlyDictionary<string, JsonElement> Cases => DockerignoreCorpus.Section("match_cases");

    private static Dictionary<string, string> Excluded =>
        Cases.Values.Where(c => c.GetProperty("platform").GetString() == "unix" && OperatingSystem.IsWindows())
            .ToDictionary(c => c.GetProperty("id").GetString()!, _ => UnixOnly);

    public static IEnumerable<TestDataRow<string>> CaseIds =>
        Cases.Where(kv => !Excluded.ContainsKey(kv.Key))
            .Select(kv => DockerignoreCorpus.Row(kv.Key, $"[{string.Join(", ", DockerignoreCorpus.Strings(kv.Value, "patterns"))}] '{kv.Value.GetProperty("path").GetString()}'"));

    [TestMethod]
    [DynamicData(nameof(CaseIds))]
    public void MatchCase(string id)
    {
        var c = Cases[id];
        string[] patterns = DockerignoreCorpus.Strings(c, "patterns");
        string path = c.GetProperty("path").GetString()!;

        if (!DockerignoreCorpus.Flag(c, "error"))
        {
            Assert.AreEqual(c.GetProperty("expected").GetBoolean(), IgnorePatterns.Create(patterns).Matches(path));
            return;
        }

        switch (c.GetProperty("error_stage").GetString())
        {
            case "new":
                AssertPatternError(Assert.ThrowsExactly<ContainerizeException>(() => IgnorePatterns.Create(patterns)));
                break;
            case "match":
                var matcher = IgnorePatterns.Create(patterns);
                AssertPatternError(Assert.ThrowsExactly<ContainerizeException>(() => matcher.Matches(path)));
                AssertPatternError(Assert.ThrowsExactly<ContainerizeException>(() => matcher.Matches(path)));
                break;
            default:
                AssertPatternError(Assert.ThrowsExactly<ContainerizeException>(() => IgnorePatterns.Create(patterns).Matches(path)));
                break;
        }
    }

    [TestMethod]
    public void ExcludedCasesAreExactlyThePlatformOnes()
    {
        var unixMarked = Cases.Values.Where(c => c.GetProperty("platform").GetString() == "unix").Select(c => c.GetProperty("id").GetString()!);
        CollectionAssert.AreEquivalent(UnixOnlyCases, unixMarked.ToArray());
        CollectionAssert.AreEquivalent(OperatingSystem.IsWindows() ? UnixOnlyCases : Array.Empty<string>(), Excluded.Keys.ToArray());
        Assert.HasCount(138, Cases);
    }

    private static void AssertPatternError(ContainerizeException e)
    {
        CollectionAssert.Contains(new[] { ErrorCodes.InvalidIgnorePattern, ErrorCodes.IllegalIgnoreException }, e.Code);
        Assert.IsNotNull(e.Location);
        Assert.AreEqual(1, e.Location.Line);
    }
}
