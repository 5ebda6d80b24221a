using Containerize.Engine.Execution;

namespace Containerize.Engine.Tests.Execution;

[TestCategory("Namespaces")]
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

        var survivors = ProcessesInNamespace(pidNamespace);
        for (int i = 0; i < 100 && survivors.Count > 0; i++) // the kernel may still be tearing the namespace down
        {
            await Task.Delay(50);
            survivors = ProcessesInNamespace(pidNamespace);
        }
        Assert.AreEqual(0, survivors.Count, $"processes of the container's pid namespace survived: {string.Join(", ", survivors.Select(p => $"{p} {Read($"/proc/{p}/cmdline")?.Replace('\0', ' ')}"))}");
        Assert.AreEqual(0, ProcessesWithCommandLine($"sleep\0{marker}\0").Count);
        string mounts = File.ReadAllText("/proc/self/mountinfo");
        Assert.IsFalse(mounts.Contains(f.Upper, StringComparison.Ordinal) || mounts.Contains("ctz-run-", StringComparison.Ordinal), mounts);
        Assert.AreEqual(0, f.UpperEntries().Length, string.Join(", ", f.UpperEntries()));
    }

    [TestMethod]
    [DataRow(false, DisplayName = "root")]
    [DataRow(true, DisplayName = "ordinary user")]
    public async Task ABuildKilledWithSigkillLeavesNoProcessOfItsStepRunning(bool asOrdinaryUser)
    {
        using var f = await ContainerFixture.CreateAsync();
        (string, uint, uint)? user = null;
        string lower = f.BaseLayer;
        if (asOrdinaryUser)
        {
            var (name, uid, gid) = await RootlessUser.EnsureAsync();
            user = (name, uid, gid);
            lower = f.AddLayer(d => TestSupport.ExternalTool.RunChecked("cp", "-a", f.BaseLayer + "/.", d));
            foreach (string dir in new[] { lower, f.Upper, f.Work, Path.GetDirectoryName(f.Upper)! }) TestSupport.ExternalTool.RunChecked("chown", "-R", $"{uid}:{gid}", dir);
        }
        string marker = Random.Shared.Next(100_000, 999_999).ToString();
        using var probe = RunProbeProcess.Start([f.Upper, f.Work, "", lower, "/bin/sh", "-c", $"sleep {marker} & echo started; wait"], "started", user);
        await probe.WaitForStartAsync(TimeSpan.FromSeconds(60));
        var sleepers = ProcessesWithCommandLine($"sleep\0{marker}\0");
        for (int i = 0; i < 100 && sleepers.Count == 0; i++)
        {
            await Task.Delay(50);
            sleepers = ProcessesWithCommandLine($"sleep\0{marker}\0");
        }
        Assert.AreEqual(1, sleepers.Count, $"the step's sleep should be running:\n{probe.Output}");
        var served = ChildrenOf(probe.Pid);
        CollectionAssert.IsSubsetOf(new[] { "unshare", "slirp4netns" }, served.Select(p => Read($"/proc/{p}/comm")?.Trim()).ToList(), "unshare and slirp4netns serve the step");

        probe.KillHard();

        var left = new List<int>();
        for (int i = 0; i < 200; i++)
        {
            left = [.. ProcessesWithCommandLine($"sleep\0{marker}\0"), .. served.Where(p => Directory.Exists($"/proc/{p}"))];
            if (left.Count == 0) break;
            await Task.Delay(50);
        }
        Assert.AreEqual(0, left.Count, $"still running 10 s after the build was killed: {string.Join(", ", left.Select(p => $"{p} {Read($"/proc/{p}/cmdline")?.Replace('\0', ' ')}"))}");
    }

    private static List<int> ChildrenOf(int pid) =>
        AllPids().Where(p => Read($"/proc/{p}/stat") is { } stat && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == pid.ToString()).ToList();

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
