using System.Diagnostics;
using System.Text;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

[TestCategory("EndToEnd")]
[TestClass]
public class CancellationTests
{
    /// <summary>Ctrl+C (SIGINT to dotnet) reaches the task through ICancelableTask: the build stops promptly and leaves no partial blob.</summary>
    [TestMethod]
    public async Task CtrlCStopsTheImageBuildAndLeavesNothingHalfWritten()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "Cancelled");
        using var store = new TempDirectory("ctz-cancel-store");
        // Incompressible content large enough that the layer takes several seconds to compress.
        var random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        await using (var big = File.Create(Path.Combine(project.Directory, "big.bin")))
        {
            for (int i = 0; i < 300; i++)
            {
                random.NextBytes(chunk);
                await big.WriteAsync(chunk);
            }
        }
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>",
            "  <ItemGroup><None Include=\"big.bin\" CopyToPublishDirectory=\"PreserveNewest\" /></ItemGroup>\n</Project>"));

        using var process = StartBuild(project, [$"-p:ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
            $"-p:ContainerRegistry={EndToEndEnvironment.Registry.Host}", $"-p:ContainerStorePath={store.Path}"]);
        var output = new StringBuilder();
        var baseResolved = WhenOutputContains(process, output, $"FROM {EndToEndEnvironment.Registry.Host}/base/busybox");

        await baseResolved.Task.WaitAsync(TimeSpan.FromMinutes(3));
        await Task.Delay(500);
        Assert.IsFalse(process.HasExited, $"the build must still be compressing the layer:\n{output}");
        (await ProcessRunner.RunAsync("kill", "-INT", process.Id.ToString())).EnsureSuccess("kill -INT");
        var stopwatch = Stopwatch.StartNew();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        stopwatch.Stop();

        Assert.AreNotEqual(0, process.ExitCode);
        Assert.IsLessThan(10, stopwatch.Elapsed.TotalSeconds, "cancel stops the build within seconds");
        StringAssert.Contains(output.ToString(), "The image build was cancelled.");
        Assert.IsFalse(output.ToString().Contains("Built image", StringComparison.Ordinal));
        string tmp = Path.Combine(store.Path, "tmp");
        Assert.IsFalse(Directory.Exists(tmp) && Directory.EnumerateFileSystemEntries(tmp).Any(), "no partial blob is left in the store");
    }

    /// <summary>Ctrl+C while a RUN step runs kills everything in its namespaces: no process and no mount outlive the build.</summary>
    [TestMethod]
    public async Task CtrlCDuringARunStepLeavesNoProcessAndNoMountBehind()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "CancelledRun");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN echo step-started && sleep 313
            """);

        using var process = StartBuild(project, []);
        var output = new StringBuilder();
        var started = WhenOutputContains(process, output, "step-started");
        await started.Task.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.IsTrue(SleepingProcesses().Any(), "the step's sleep runs before the cancel");

        (await ProcessRunner.RunAsync("kill", "-INT", process.Id.ToString())).EnsureSuccess("kill -INT");
        var stopwatch = Stopwatch.StartNew();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsLessThan(10, stopwatch.Elapsed.TotalSeconds, "cancel stops the step within seconds");
        StringAssert.Contains(output.ToString(), "The image build was cancelled.");
        await Task.Delay(200);
        Assert.IsEmpty(SleepingProcesses(), "no process of the step survives");
        string mounts = await File.ReadAllTextAsync("/proc/self/mountinfo");
        Assert.IsFalse(mounts.Contains("containerize-run", StringComparison.Ordinal) || mounts.Contains("ctz-run-", StringComparison.Ordinal), "no mount of the step survives");
    }

    private static List<int> SleepingProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => (Pid: int.Parse(name!), CommandLine: ReadCommandLine(name!)))
            .Where(p => p.CommandLine == "sleep 313")
            .Select(p => p.Pid)
            .ToList();

    private static string ReadCommandLine(string pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static Process StartBuild(SampleProject project, IEnumerable<string> extraArguments)
    {
        // Through timeout(1), which catches SIGINT and forwards it to dotnet: started with SIGINT
        // ignored (as a shell starts background jobs), dotnet would keep ignoring it and no Ctrl+C
        // could reach the build; timeout's child starts with the default disposition.
        var start = new ProcessStartInfo("timeout")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project.Directory,
        };
        foreach (string argument in new[] { "600", "dotnet", "publish", project.ProjectFile, "-c", "Release", "-t:BuildImage", "-nodeReuse:false" }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in project.Environment)
        {
            if (value is null) start.Environment.Remove(key); else start.Environment[key] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>Collects the process's output and completes when a line contains <paramref name="text"/>.</summary>
    private static TaskCompletionSource WhenOutputContains(Process process, StringBuilder output, string text)
    {
        var seen = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return seen;
    }
}
