using System.Diagnostics;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

/// <summary>
/// Random hostile layers (<see cref="HostileLayerGenerator"/>) through every reader of a layer: each
/// may give a result or a ContainerizeException, nothing else — no other exception, no hang, no
/// write outside its target. A failure names the seed and the case; CTZ_LAYER_FUZZ_SEED replays
/// or varies the run, CTZ_LAYER_FUZZ_SECONDS lengthens it.
/// </summary>
[TestCategory("Stress")]
[TestClass]
public sealed class LayerFuzzTests
{
    private const int DefaultSeed = 20261203;
    private const int MinimumCases = 60;
    private const int MaximumCases = 5000;
    private static readonly TimeSpan PerReaderTimeout = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void HostileLayersGiveAResultOrAContainerizeErrorInEveryReader()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CTZ_LAYER_FUZZ_SEED"), out int s) ? s : DefaultSeed;
        double seconds = double.TryParse(Environment.GetEnvironmentVariable("CTZ_LAYER_FUZZ_SECONDS"), out double d) ? d : 20;
        using var temp = new TempDirectory("ctz-fuzz");
        string outside = Directory.CreateDirectory(temp.Combine("outside")).FullName;
        string cases = Directory.CreateDirectory(temp.Combine("c")).FullName;
        var generator = new HostileLayerGenerator(seed, outside);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        int count = 0;
        for (; count < MaximumCases && (count < MinimumCases || clock.Elapsed.TotalSeconds < seconds) && failures.Count < 5; count++)
        {
            TestContext.CancellationToken.ThrowIfCancellationRequested();
            var hostile = generator.Next();
            string where = $"seed {seed} case {count} ({hostile.Description})";
            string caseDirectory = Directory.CreateDirectory(Path.Combine(cases, count.ToString())).FullName;
            var store = new BlobStore(Path.Combine(caseDirectory, "store"));
            var diffId = Digest.Sha256(hostile.LyingDiffId ? [.. hostile.Tar, 1] : hostile.Tar);
            var layer = LayerReaders.Put(store, hostile.Blob, diffId, hostile.Gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer);
            foreach (var reader in LayerReaders.All)
            {
                string outcome = Run(reader, store, layer, Path.Combine(caseDirectory, "copy"), hostile.Files);
                if (outcome.StartsWith("FAIL", StringComparison.Ordinal)) failures.Add($"{where}, {reader}: {outcome}");
                else outcomes[$"{reader} {outcome}"] = outcomes.GetValueOrDefault($"{reader} {outcome}") + 1;
            }
            string[] escaped = Directory.EnumerateFileSystemEntries(outside, "*", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFileSystemEntries(caseDirectory).Where(p => Path.GetFileName(p) is not ("store" or "copy")))
                .Concat(Directory.EnumerateFileSystemEntries(temp.Path).Where(p => p != outside && p != cases))
                .ToArray();
            if (escaped.Length > 0) failures.Add($"{where}: wrote outside its target: {string.Join(", ", escaped)}");
            ScratchDirectory.DeleteTree(caseDirectory);
            foreach (string entry in escaped.Where(Path.Exists)) ScratchDirectory.DeleteTree(entry);
        }
        TestContext.WriteLine($"seed {seed}: {count} hostile layers in {clock.Elapsed.TotalSeconds:F1} s; "
            + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
        Assert.IsGreaterThanOrEqualTo(MinimumCases, count);
    }

    /// <summary>Whether the read ended (well or not) within the per-reader timeout.</summary>
    private static bool Ended(Task read)
    {
        try
        {
            return read.Wait(PerReaderTimeout);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>"ok", "CTZxxxx", or "FAIL …" for another exception or a hang.</summary>
    private static string Run(LayerReader reader, BlobStore store, Layer layer, string copyTarget, IReadOnlyList<string> files)
    {
        using var cancel = new CancellationTokenSource();
        var read = Task.Run(() => LayerReaders.Read(reader, store, layer, copyTarget, files, cancel.Token));
        if (!Ended(read))
        {
            cancel.Cancel();
            return $"FAIL no result after {PerReaderTimeout.TotalSeconds} s (a hang)";
        }
        return read.Exception?.InnerException switch
        {
            null => "ok",
            ContainerizeException e when !e.Message.Contains("   at ", StringComparison.Ordinal) => e.Code,
            var other => $"FAIL {other.GetType().FullName}: {Shorten(other.Message)} {other.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}",
        };
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
