using System.Diagnostics;
using System.Globalization;
using System.Text;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// <c>containerize prune</c> after a <c>containerize build</c> killed with SIGKILL in a RUN step:
/// the killed build's scratch folders and the store's partial files go, and prune says so; a
/// running build's folder stays. The builds get a temp folder of their own (TMPDIR), so nothing
/// of other tests is looked at.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class PruneLitterTests
{
    [TestMethod]
    [Timeout(600_000)]
    public async Task PruneRemovesWhatABuildKilledMidRunLeftAndKeepsWhatARunningBuildUses()
    {
        await ContainerizeCli.EnsureBuiltAsync();
        using var work = new TempDirectory("ctz-prune-litter");
        string temp = Directory.CreateDirectory(work.Combine("tmp")).FullName;
        string store = work.Combine("store");
        string context = Directory.CreateDirectory(work.Combine("context")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN echo ready-to-be-killed && sleep 300
            """);

        var output = new StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var build = Start(["build", "--store", store, context], temp, output, "ready-to-be-killed", seen))
        {
            await seen.Task.WaitAsync(TimeSpan.FromMinutes(5));
            build.Kill(); // SIGKILL, this process only: what it made stays as a killed build leaves it
            await build.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        string[] left = Directory.GetDirectories(temp);
        Assert.IsNotEmpty(left, $"the killed build left its scratch folders:\n{output}");
        string partial = Path.Combine(store, "tmp", $"partial-{DeadProcessId()}-{StartTime(Environment.ProcessId)}-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(partial, "half a blob");
        string running = Directory.CreateDirectory(Path.Combine(temp, $"containerize-build-{Environment.ProcessId}-{StartTime(Environment.ProcessId)}-{Guid.NewGuid():N}")).FullName;

        var prune = new StringBuilder();
        using (var pruning = Start(["prune", "--store", store], temp, prune, null, null))
        {
            await pruning.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.AreEqual(0, pruning.ExitCode, prune.ToString());
        }

        StringAssert.Contains(prune.ToString(), "Leftovers of killed builds: removed");
        foreach (string folder in left) Assert.IsFalse(Directory.Exists(folder), $"{folder} of the killed build is removed:\n{prune}");
        Assert.IsFalse(File.Exists(partial));
        Assert.IsTrue(Directory.Exists(running), "a running build's folder stays");
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat, as the names of temporaries carry it.</summary>
    private static string StartTime(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }

    private static Process Start(string[] arguments, string temp, StringBuilder output, string? signalOn, TaskCompletionSource? seen)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, Environment = { ["TMPDIR"] = temp } };
        start.ArgumentList.Add(ContainerizeCli.Dll);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (signalOn is not null && e.Data.Contains(signalOn, StringComparison.Ordinal)) seen!.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
