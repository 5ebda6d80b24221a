using System.Diagnostics;
using System.Text;
using Containerize.Engine.IO;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// A real build (<c>ctz-run-probe build</c>, DockerfileImageBuilder in a process of its own) is
/// killed with SIGKILL inside a long RUN step; the next build on the same store and temp folder
/// leaves nothing of the killed one behind: no scratch folder, no temporary file in the store.
/// The temp folder is the test's own (TMPDIR), so other builds on the machine do not interfere.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class KilledBuildCleanupTests
{
    private static RegistryServer s_registry = null!;
    private static string s_busybox = null!;

    [ClassInitialize]
    public static async Task PushBase(TestContext _)
    {
        s_registry = RegistryServer.StartAnonymous();
        s_busybox = $"{s_registry.Host}/base/busybox";
        using var store = new TempDirectory("ctz-killed-base-store");
        await BaseImages.PushBusyboxAsync(s_busybox, store.Path);
    }

    [ClassCleanup]
    public static void StopRegistry() => s_registry?.Dispose();

    [TestMethod]
    public async Task TheBuildAfterAKilledOneRemovesWhatTheKilledOneLeft()
    {
        using var work = new TempDirectory("ctz-killed-build");
        string temp = Directory.CreateDirectory(work.Combine("tmp")).FullName;
        string store = work.Combine("store");
        string context = Directory.CreateDirectory(work.Combine("context")).FullName;
        string marker = "long-step-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {s_busybox}\nRUN echo {marker} && sleep 3\n");

        var output = new StringBuilder();
        int killedId;
        using (var killed = StartProbe(context, store, temp, output, marker, out var seen))
        {
            killedId = killed.Id;
            if (await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromMinutes(2))) != seen.Task) Assert.Fail("the RUN step never started:\n" + output);
            killed.Kill();
            await killed.WaitForExitAsync();
        }
        Assert.IsFalse(output.ToString().Contains("built=", StringComparison.Ordinal), "the kill came too late:\n" + output);
        await WaitForStepProcessesToEndAsync(marker);

        var litter = Litter(temp, store);
        Assert.IsTrue(litter.Any(p => TemporaryName.OwnerOf(Path.GetFileName(p))?.Id == killedId),
            "the killed build left scratch folders named for it: " + string.Join(", ", litter));

        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {s_busybox}\nRUN echo second\n");
        var next = new StringBuilder();
        using (var build = StartProbe(context, store, temp, next, null, out _))
        {
            await build.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.AreEqual(0, build.ExitCode, next.ToString());
        }

        var left = Litter(temp, store).Intersect(litter).ToList();
        Assert.IsEmpty(left, "left by the killed build: " + string.Join(", ", left));
    }

    /// <summary>Everything in the temp folder and in the store's temporary folders but the per-layer lock files.</summary>
    private static List<string> Litter(string temp, string store) =>
        [.. Directory.EnumerateFileSystemEntries(temp),
            .. Directory.GetDirectories(store, "tmp", SearchOption.AllDirectories).SelectMany(Directory.EnumerateFileSystemEntries)
                .Where(p => !p.EndsWith(".lock", StringComparison.Ordinal))];

    /// <summary>The killed build's RUN processes are orphans now; they end with their sleep.</summary>
    private static async Task WaitForStepProcessesToEndAsync(string marker)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30) && Directory.EnumerateDirectories("/proc").Any(d => CommandLine(d).Contains(marker, StringComparison.Ordinal)))
        {
            await Task.Delay(100);
        }
    }

    private static string CommandLine(string procDirectory)
    {
        try { return File.ReadAllText(Path.Combine(procDirectory, "cmdline")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static Process StartProbe(string context, string store, string temp, StringBuilder output, string? signalOn, out TaskCompletionSource seen)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "ctz-run-probe.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { probe, "build", Path.Combine(context, "Dockerfile"), context, store, Path.Combine(context, "..", "image.tar") }) start.ArgumentList.Add(a);
        start.Environment["TMPDIR"] = temp;
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // the runtime's own sockets in TMPDIR, which a killed process leaves too, are not the build's
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        seen = signal;
        var process = new Process { StartInfo = start };
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (signalOn is not null && e.Data.Contains(signalOn, StringComparison.Ordinal) && !e.Data.Contains("RUN echo", StringComparison.Ordinal)) signal.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
