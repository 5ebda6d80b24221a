using System.Diagnostics;
using System.Text.Json;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

/// <summary>
/// Thousands of mutated .dockerignore texts, grown from the conformance ignore cases, go through
/// the reader, the matcher (a set of paths, directory pruning, include filters) and a real context
/// walk. Each must end in a result or a located CTZ60xx <see cref="ContainerizeException"/>: never
/// another exception, never a hang.
/// </summary>
[TestCategory("Stress")]
[TestClass]
public sealed class IgnoreFileRobustnessTests
{
    private const int MutantsPerSeed = 46;
    private const string IgnoreFileName = ".dockerignore";
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TotalLimit = TimeSpan.FromSeconds(180);

    /// <summary>Names a walk meets: pattern syntax in names, Unicode, hidden files, depth.</summary>
    private static readonly string[] Tree =
    [
        "file foo", "file bay", "file .hidden", "file a[b]", "file star*", "file back\\slash", "file q?", "file !bang", "file #hash",
        "file é", "file 😀", "dir dir", "file dir/x.txt", "dir dir/sub", "file dir/sub/deep.txt", "dir node_modules",
        "file node_modules/m/index.js", "file a/b/c/d/e/f/g/h/i/j.txt", "file sp ace",
    ];

    [TestMethod]
    public void MutatedIgnoreFilesEndInResultOrLocatedError()
    {
        using var context = new TempDirectory("ctz-ignore-fuzz");
        CorpusTree.Create(context.Path, Tree);
        var seeds = SeedTexts();
        string[] paths = MatchPaths();
        var mutator = new IgnoreFileMutator(20250314);
        var failures = new List<string>();
        int total = 0, rejected = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        foreach (string seed in seeds)
        {
            for (int i = 0; i < MutantsPerSeed; i++)
            {
                string input = mutator.Mutate(seed);
                total++;
                var started = clock.Elapsed;
                using var cancel = new CancellationTokenSource(PerInputLimit);
                var outcome = Task.Run(() => Outcome(input, context.Path, paths, walk: total % 2 == 0, cancel.Token));
                if (!outcome.Wait(PerInputLimit + TimeSpan.FromSeconds(1)))
                {
                    failures.Add($"hang on input #{total}: {Shown(input)}");
                    continue;
                }
                var took = clock.Elapsed - started;
                if (took > slowest) slowest = took;
                if (outcome.Result == "rejected") rejected++;
                else if (outcome.Result != "ok") failures.Add($"input #{total}: {outcome.Result}\n---\n{Shown(input)}\n---");
            }
        }
        Console.WriteLine($"{total} mutated ignore files from {seeds.Count} seeds in {clock.Elapsed.TotalSeconds:F1} s (slowest {slowest.TotalMilliseconds:F0} ms): "
            + $"{total - rejected - failures.Count} matched, {rejected} rejected with a located error, {failures.Count} failures");
        if (failures.Count > 0) Assert.Fail($"{failures.Count} of {total} inputs failed badly:\n" + string.Join("\n", failures.Take(15)));
        Assert.IsGreaterThanOrEqualTo(5000, total);
        Assert.IsGreaterThan(total / 20, rejected, "the mutations should produce bad patterns too");
        Assert.IsLessThan(TotalLimit, clock.Elapsed);
    }

    /// <summary>"ok", "rejected" (a located context error), "timeout", or what went wrong.</summary>
    internal static string Outcome(string text, string contextDirectory, string[] paths, bool walk, CancellationToken ct)
    {
        try
        {
            var patterns = DockerignoreFile.Parse(text, IgnoreFileName);
            // Files with thousands of patterns or very long ones are matched against a sample of the
            // paths, to keep the run short.
            if (patterns.Rules.Count > 300 || text.Length > 3000) paths = paths.Where((_, i) => i % 10 == 0).ToArray();
            foreach (string path in paths)
            {
                ct.ThrowIfCancellationRequested();
                patterns.Matches(path);
                patterns.CanSkipDirectory(path);
                patterns.CouldMatchAtOrBelow(path);
            }
            // The same lines through the list API that COPY --exclude and include filters use.
            var listed = IgnorePatterns.Create(text.Split('\n'), IgnoreFileName);
            foreach (string path in paths.Take(8)) listed.Matches(path);
            if (walk)
            {
                ContextWalker.Walk(contextDirectory, patterns, ct);
                ContextWalker.Walk(contextDirectory, IgnorePatterns.Empty, includes: listed, ct);
            }
            return "ok";
        }
        catch (ContainerizeException e) when (IsLocatedContextError(e))
        {
            return "rejected";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }

    internal static bool IsLocatedContextError(ContainerizeException e) =>
        e.Code.StartsWith("CTZ600", StringComparison.Ordinal) && e.Location is { File: IgnoreFileName, Line: >= 1, Column: >= 1 };

    private static string Shown(string input) => input.Length <= 300 ? input : input[..300] + $"… ({input.Length} characters)";

    /// <summary>Every ignore text in the conformance corpus, each case's pattern list as one file.</summary>
    private static List<string> SeedTexts()
    {
        var seeds = new List<string>();
        foreach (var c in DockerignoreCorpus.Section("match_cases").Values) seeds.Add(string.Join('\n', DockerignoreCorpus.Strings(c, "patterns")));
        foreach (var c in DockerignoreCorpus.Section("clean_cases").Values) seeds.Add(string.Join('\n', DockerignoreCorpus.Strings(c, "patterns")));
        foreach (var c in DockerignoreCorpus.Section("compile_cases").Values) seeds.Add(c.GetProperty("pattern").GetString()!);
        foreach (var c in DockerignoreCorpus.Section("walk_cases").Values)
        {
            seeds.Add(string.Join('\n', DockerignoreCorpus.Strings(c, "exclude_patterns")));
            seeds.Add(string.Join('\n', DockerignoreCorpus.Strings(c, "include_patterns")));
        }
        foreach (var c in DockerignoreCorpus.Section("ignorefile_cases").Values)
        {
            if (c.GetProperty("content").ValueKind == JsonValueKind.String) seeds.Add(c.GetProperty("content").GetString()!);
        }
        foreach (var c in DockerignoreCorpus.Section("context_cases").Values)
        {
            if (c.GetProperty("files").TryGetProperty(".dockerignore", out var file)) seeds.Add(file.GetString()!);
        }
        return seeds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The corpus' match paths and the tree's, plus a long deep one.</summary>
    private static string[] MatchPaths() =>
        DockerignoreCorpus.Section("match_cases").Values.Select(c => c.GetProperty("path").GetString()!)
            .Concat(Tree.Select(t => t.Split(' ', 2)[1]))
            .Append(string.Join('/', Enumerable.Range(0, 60).Select(i => $"d{i}")) + "/file.txt")
            .Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
