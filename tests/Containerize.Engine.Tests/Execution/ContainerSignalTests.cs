using Containerize.Engine.Execution;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// A step's process that a signal kills is reported as Docker does: exit code 128 + the signal, and
/// the signal's name (not unshare's "sigprocmask unblock failed" and exit code 1), through the
/// native helper and the managed one alike.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class ContainerSignalTests
{
    private static ContainerRunner Runner(bool managed) => new(helper: managed ? HelperLocation.FindManaged() : HelperLocation.Find());

    [TestMethod]
    [DataRow(false, DisplayName = "native helper")]
    [DataRow(true, DisplayName = "managed helper")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task AStepKilledFromOutsideReportsSigkillAnd137(bool managed)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        using var f = await ContainerFixture.CreateAsync();
        string marker = StepProcessKiller.NewMarker();
        var spec = ContainerFixture.Shell(f.Spec(), "echo ready; exec sleep 1000") with { Environment = [.. f.Spec().Environment, marker] };
        var killing = StepProcessKiller.KillAsync(marker, 9, timeout.Token);

        var lines = new List<string>();
        var exit = await Runner(managed).RunToExitAsync(spec, l => { lock (lines) lines.Add(l); }, timeout.Token);
        await killing;
        Assert.AreEqual("ready", string.Join('\n', lines), "nothing of unshare's reaches the output");

        Assert.AreEqual(137, exit.ExitCode);
        StringAssert.Contains(exit.Describe(), "SIGKILL");
        StringAssert.Contains(exit.Describe(), "out of memory, or killed from outside?");
        Assert.AreEqual(137, await Runner(managed).RunAsync(ContainerFixture.Shell(f.Spec(), "exit 137"), _ => { }, timeout.Token), "an exit code stays one");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "native helper")]
    [DataRow(true, DisplayName = "managed helper")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ASegfaultingCommandReportsSigsegvAnd139(bool managed)
    {
        using var f = await ContainerFixture.CreateAsync();
        using var source = new TempDirectory("ctz-segv");
        File.WriteAllText(source.Combine("segv.c"), "int main(void) { *(volatile int *)0 = 1; return 0; }\n");
        ExternalTool.RunChecked("gcc", "-static", "-O0", "-o", source.Combine("segv"), source.Combine("segv.c"));
        f.AddLayer(d => File.Copy(source.Combine("segv"), Path.Combine(d, "segv")));

        var lines = new List<string>();
        var exit = await Runner(managed).RunToExitAsync(f.Spec("/segv"), l => { lock (lines) lines.Add(l); }, CancellationToken.None);

        Assert.AreEqual(139, exit.ExitCode, string.Join('\n', lines));
        StringAssert.Contains(exit.Describe(), "SIGSEGV");
        Assert.IsFalse(lines.Any(l => l.Contains("unshare", StringComparison.Ordinal)), string.Join('\n', lines));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task AShellsExitCodeForAKilledChildIsExplainedNotTakenForItsOwnDeath()
    {
        using var f = await ContainerFixture.CreateAsync();
        var exit = await Runner(managed: false).RunToExitAsync(ContainerFixture.Shell(f.Spec(), "sh -c 'kill -TERM $$'; exit $?"), _ => { }, CancellationToken.None);
        Assert.AreEqual(new ContainerExit(143), exit);
        Assert.AreEqual("failed with exit code 143 (128+15: it, or a process it waited for, was killed by SIGTERM: terminated from outside)", exit.Describe());
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task AStepOverItsMemoryLimitIsOomKilledAndSaysSo()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        using var f = await ContainerFixture.CreateAsync();
        using var cgroup = MemoryCgroup.Create(64L << 20);
        string marker = StepProcessKiller.NewMarker();
        // Waits until the test moved it into the limited cgroup, then holds 400 MB in the shell (pid 1).
        string script = $"until grep -q {cgroup.Name} /proc/self/cgroup; do sleep 0.1; done; x=$(head -c 400000000 /dev/zero | tr '\\0' x); echo survived";
        var spec = ContainerFixture.Shell(f.Spec(), script) with { Environment = [.. f.Spec().Environment, marker] };
        var moving = Task.Run(async () => cgroup.Add(await StepProcessKiller.FindAsync(marker, timeout.Token)));

        var lines = new List<string>();
        var exit = await Runner(managed: false).RunToExitAsync(spec, l => { lock (lines) lines.Add(l); }, timeout.Token);
        await moving;

        Assert.AreEqual(137, exit.ExitCode, string.Join('\n', lines));
        StringAssert.Contains(exit.Describe(), "SIGKILL");
        Assert.IsTrue(cgroup.OomKills() > 0, "the kernel's OOM killer did it");
    }
}
