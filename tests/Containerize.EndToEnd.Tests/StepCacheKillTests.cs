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
[TestClass]
public class StepCacheKillTests
{
    private static readonly string Cli = Path.Combine(RepositoryPaths.Root, "src", "Cli", "bin", "Release", "net8.0", "containerize.dll");

    [TestMethod]
    public async Task ABuildKilledAtAnyPointLeavesACacheTheNextBuildCanTrust()
    {
        (await ProcessRunner.RunAsync("dotnet", "build", Path.Combine(RepositoryPaths.Root, "src", "Cli", "Containerize.Cli.csproj"), "-c", "Release", "-nologo", "-v:q"))
            .EnsureSuccess("dotnet build src/Cli");
        using var work = new TempDirectory("ctz-kill");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        var random = new Random(11);
        byte[] big = new byte[48 << 20];
        random.NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(context, "big.bin"), big);
        await File.WriteAllTextAsync(Path.Combine(context, "small.txt"), "small");
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

        // Killed on seeing these lines: while big.bin is compressed, inside each RUN, just after steps were recorded.
        string[] killPoints = ["FROM ", "COPY big.bin . (", "run-one", "RUN echo run-one", "COPY small.txt .", "run-two"];
        var digests = new List<string>();
        for (int i = 0; i < killPoints.Length; i++)
        {
            var output = new StringBuilder();
            using (var killed = StartBuild(context, store, repository, $"kill-{i}", output, killPoints[i], out var seen))
            {
                await seen.Task.WaitAsync(TimeSpan.FromMinutes(3));
                killed.Kill();
                await killed.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.IsFalse(output.ToString().Contains("Built image", StringComparison.Ordinal), $"kill {i} came too late:\n{output}");
            }
            await Task.Delay(1500); // the killed build's RUN process ends its sleep and its namespaces go

            var rebuilt = new StringBuilder();
            using var build = StartBuild(context, store, repository, $"after-{i}", rebuilt, null, out _);
            await build.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.AreEqual(0, build.ExitCode, $"the build after kill {i} ({killPoints[i]}):\n{rebuilt}");
            digests.Add((await Skopeo.InspectAsync($"docker://{repository}:after-{i}")).GetProperty("Digest").GetString()!);

            using var layout = new TempDirectory("ctz-kill-layout");
            (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{repository}:after-{i}", $"oci:{layout.Path}:x")).EnsureSuccess("skopeo copy");
            (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:x", layout.Combine("bundle"))).EnsureSuccess("umoci unpack");
            string summary = await File.ReadAllTextAsync(Path.Combine(layout.Path, "bundle", "rootfs", "data", "summary"));
            Assert.AreEqual("small" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(big)).ToLowerInvariant() + "  big.bin\n", summary);
        }

        Assert.HasCount(1, digests.Distinct().ToList(), "every build after a kill makes the same image: " + string.Join(", ", digests));
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
        foreach (string argument in new[] { Cli, "build", "--store", store, "--push", repository, "--tag", tag, context }) start.ArgumentList.Add(argument);
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
