using System.Diagnostics;
using System.Text;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// The step cache under <c>kill -9</c>: a <c>containerize build</c> process is killed at several
/// points of a multi-step build (while a layer is compressed, while RUN runs, just after a step was
/// recorded), and the next build on the same store must still push an image that skopeo and umoci
/// read, the same image an undisturbed build makes.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class StepCacheKillTests
{
    [TestMethod]
    public async Task ABuildKilledAtAnyPointLeavesACacheTheNextBuildCanTrust()
    {
        await ContainerizeCli.EnsureBuiltAsync();
        using var work = new TempDirectory("ctz-kill");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            WORKDIR /data
            COPY big.bin .
            RUN echo run-one && sleep 1 && md5sum big.bin > big.md5
            COPY small.txt .
            RUN echo run-two && sleep 1 && cat small.txt big.md5 > summary
            """);
        string store = work.Combine("store");
        string repository = $"{EndToEndEnvironment.Registry.Host}/kill/cache";

        // Killed on seeing these lines: while big.bin is compressed, just after steps were recorded, inside each RUN.
        string[] killPoints = ["WORKDIR /data (", "COPY big.bin . (", "run-one", "RUN echo run-one", "COPY small.txt . (", "run-two"];
        for (int i = 0; i < killPoints.Length; i++)
        {
            // New content each round, so the killed build has steps to run.
            byte[] big = new byte[32 << 20];
            new Random(i).NextBytes(big);
            await File.WriteAllBytesAsync(Path.Combine(context, "big.bin"), big);
            await File.WriteAllTextAsync(Path.Combine(context, "small.txt"), $"small {i}");

            var output = new StringBuilder();
            using (var killed = StartBuild(context, store, repository, $"killed-{i}", output, killPoints[i], out var seen))
            {
                await WaitAsync(seen.Task, TimeSpan.FromMinutes(3), $"'{killPoints[i]}' in the output", output);
                killed.Kill();
                await WaitAsync(killed.WaitForExitAsync(), TimeSpan.FromSeconds(30), "the killed build to end", output);
                Assert.IsFalse(output.ToString().Contains("Built image", StringComparison.Ordinal), $"kill {i} came too late:\n{output}");
            }

            string afterKill = await BuildAsync(context, store, repository, $"after-{i}");
            string fresh = await BuildAsync(context, work.Combine($"fresh-store-{i}"), repository, $"fresh-{i}");
            Assert.AreEqual(fresh, afterKill, $"after kill {i} ({killPoints[i]}) the cache gives the image a fresh store gives");

            using var layout = new TempDirectory("ctz-kill-layout");
            (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{repository}:after-{i}", $"oci:{layout.Path}:x")).EnsureSuccess("skopeo copy");
            (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:x", layout.Combine("bundle"))).EnsureSuccess("umoci unpack");
            string summary = await File.ReadAllTextAsync(Path.Combine(layout.Path, "bundle", "rootfs", "data", "summary"));
            Assert.AreEqual($"small {i}" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(big)).ToLowerInvariant() + "  big.bin\n", summary);
        }
    }

    /// <summary>Builds and pushes; the digest skopeo reads back from the registry.</summary>
    private static async Task<string> BuildAsync(string context, string store, string repository, string tag)
    {
        var output = new StringBuilder();
        using var build = StartBuild(context, store, repository, tag, output, null, out _);
        await WaitAsync(build.WaitForExitAsync(), TimeSpan.FromMinutes(5), $"the build of {tag}", output);
        Assert.AreEqual(0, build.ExitCode, $"the build of {tag}:\n{output}");
        return (await Skopeo.InspectAsync($"docker://{repository}:{tag}")).GetProperty("Digest").GetString()!;
    }

    private static async Task WaitAsync(Task task, TimeSpan timeout, string what, StringBuilder output)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Waited {timeout} for {what}:\n{output}");
        }
    }

    private static Process StartBuild(string context, string store, string repository, string tag, StringBuilder output, string? killOn, out TaskCompletionSource seen)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["SOURCE_DATE_EPOCH"] = "1700000000" },
        };
        foreach (string argument in new[] { ContainerizeCli.Dll, "build", "--store", store, "--push", repository, "--tag", tag, context }) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        seen = signal;
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (killOn is not null && e.Data.Contains(killOn, StringComparison.Ordinal)) signal.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
