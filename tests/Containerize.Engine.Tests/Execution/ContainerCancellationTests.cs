using Containerize.Engine.Execution;

namespace Containerize.Engine.Tests.Execution;

[TestClass]
public class ContainerCancellationTests
{
    [TestMethod]
    public async Task CancelKillsEveryProcessOfTheNamespaceAndLeavesNoMount()
    {
        using var f = await ContainerFixture.CreateAsync();
        string marker = Random.Shared.Next(100_000, 999_999).ToString();
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var spec = ContainerFixture.Shell(f.Spec(), $"sleep {marker} & sleep {marker} & echo started; wait");
        var run = new ContainerRunner().RunAsync(spec, l => { if (l == "started") started.TrySetResult(); }, cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // "started" can come before the second background sleep has exec'd: give it a moment under load.
        var sleepers = ProcessesWithCommandLine($"sleep\0{marker}\0");
        for (int i = 0; i < 100 && sleepers.Count < 2; i++)
        {
            await Task.Delay(50);
            sleepers = ProcessesWithCommandLine($"sleep\0{marker}\0");
        }
        Assert.AreEqual(2, sleepers.Count, "both sleeps should be running");
        string pidNamespace = File.ReadAllText($"/proc/{sleepers[0]}/stat") is not null ? new FileInfo($"/proc/{sleepers[0]}/ns/pid").LinkTarget! : "";
        Assert.AreNotEqual(new FileInfo("/proc/self/ns/pid").LinkTarget, pidNamespace);

        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => run);

        Assert.AreEqual(0, ProcessesInNamespace(pidNamespace).Count, "processes of the container's pid namespace survived");
        Assert.AreEqual(0, ProcessesWithCommandLine($"sleep\0{marker}\0").Count);
        string mounts = File.ReadAllText("/proc/self/mountinfo");
        Assert.IsFalse(mounts.Contains(f.Upper, StringComparison.Ordinal) || mounts.Contains("ctz-run-", StringComparison.Ordinal), mounts);
        Assert.AreEqual(0, f.UpperEntries().Length, string.Join(", ", f.UpperEntries()));
    }

    private static List<int> ProcessesWithCommandLine(string cmdline) =>
        AllPids().Where(p => Read($"/proc/{p}/cmdline") == cmdline).ToList();

    private static List<int> ProcessesInNamespace(string ns) =>
        AllPids().Where(p => { try { return new FileInfo($"/proc/{p}/ns/pid").LinkTarget == ns; } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } }).ToList();

    private static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!));

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); } catch (IOException) { return null; } catch (UnauthorizedAccessException) { return null; }
    }
}
