using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>
/// Thousands of mutated Dockerfiles each end in a result or a positioned
/// <see cref="ContainerizeException"/>: never another exception, never a hang.
/// </summary>
[TestCategory("Stress")]
[TestClass]
public sealed class ParserRobustnessTests
{
    private const int MutantsPerSeed = 60;
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(5);

    [TestMethod]
    public void MutatedDockerfilesEndInResultOrPositionedError()
    {
        var seeds = SeedTexts();
        var mutator = new DockerfileMutator(20240611);
        var failures = new List<string>();
        int total = 0, rejected = 0;
        foreach (string seed in seeds)
        {
            for (int i = 0; i < MutantsPerSeed; i++)
            {
                string input = mutator.Mutate(seed);
                total++;
                var outcome = Task.Run(() => Outcome(input));
                if (!outcome.Wait(PerInputLimit))
                {
                    failures.Add($"hang on input #{total}");
                    continue;
                }
                if (outcome.Result == "rejected") rejected++;
                else if (outcome.Result != "loaded") failures.Add($"input #{total}: {outcome.Result}\n---\n{input[..Math.Min(input.Length, 400)]}\n---");
            }
        }
        Console.WriteLine($"{total} mutated Dockerfiles from {seeds.Count} seeds: {total - rejected - failures.Count} loaded, {rejected} rejected with a positioned error");
        Assert.IsGreaterThanOrEqualTo(5000, total);
        if (failures.Count > 0) Assert.Fail($"{failures.Count} of {total} inputs failed badly:\n" + string.Join("\n", failures.Take(20)));
    }

    private static string Outcome(string input)
    {
        try
        {
            DockerfileLoader.Load(input, "Dockerfile");
            return "loaded";
        }
        catch (ContainerizeException e) when (e.Location is { Line: >= 1, Column: >= 0 } && e.Code.StartsWith("CTZ5", StringComparison.Ordinal))
        {
            return "rejected";
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }

    private static List<string> SeedTexts()
    {
        var files = Directory.GetFiles(ConformanceData.PathOf("buildkit-parser"), "Dockerfile", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(ConformanceData.PathOf("buildkit-parser-extra"), "Dockerfile", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(ConformanceData.PathOf("buildkit-parser-line"), "Dockerfile"))
            .Concat(Directory.GetFiles(ConformanceData.PathOf("real-dockerfiles"), "Dockerfile", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal).Where((_, i) => i % 6 == 0))
            .Order(StringComparer.Ordinal);
        return files.Select(File.ReadAllText).ToList();
    }
}
