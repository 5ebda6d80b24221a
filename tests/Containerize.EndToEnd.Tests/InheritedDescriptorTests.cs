using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// A build started with descriptor 7 open on a host folder, as a shell or CI runner that leaked one
/// starts it (runc's CVE-2024-21626): a RUN step can neither read through it nor write through it,
/// by <c>dotnet publish -t:BuildImage</c> and by the CLI.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class InheritedDescriptorTests
{
    private const string Secret = "host-secret-7";
    private const string Attack = "cat /proc/self/fd/7/secret 2>/dev/null && echo || echo fd-read=refused; (echo x > /proc/self/fd/7/escaped) 2>/dev/null || echo fd-write=refused";

    /// <summary>bash opens the canary as descriptor 7 (not close-on-exec) and execs the build in its place.</summary>
    private static Task<ProcessResult> WithDescriptor7Async(string canary, IEnumerable<string> command, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        ProcessRunner.RunAsync("bash", ["-c", "exec 7<\"$0\" && exec \"$@\"", canary, .. command], workingDirectory, environment, TimeSpan.FromMinutes(5));

    private static TempDirectory Canary()
    {
        var canary = new TempDirectory("ctz-fd-canary");
        File.WriteAllText(canary.Combine("secret"), Secret);
        return canary;
    }

    private static void AssertContained(string output, string canary)
    {
        Assert.IsFalse(output.Contains(Secret, StringComparison.Ordinal), $"the step read a host file through descriptor 7:\n{output}");
        Assert.IsFalse(File.Exists(Path.Combine(canary, "escaped")), $"the step wrote a host file through descriptor 7:\n{output}");
        StringAssert.Contains(output, "fd-read=refused", output);
        StringAssert.Contains(output, "fd-write=refused", output);
    }

    [TestMethod]
    public async Task DotnetPublishStartedWithAHostDescriptorOpenKeepsItFromTheStep()
    {
        using var canary = Canary();
        using var project = await SampleProject.CreateConsoleAsync(name: "FdApp");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN {Attack}
            COPY --from=publish . /app/
            """);
        string[] arguments = ["publish", project.ProjectFile, "-c", "Release", "-t:BuildImage", "-nodeReuse:false", "-v:n",
            $"-p:ContainerRegistry={EndToEndEnvironment.Registry.Host}", "-p:ContainerRepository=samples/fd-app"];
        var build = (await WithDescriptor7Async(canary.Path, ["dotnet", .. arguments], project.Directory, project.Environment)).EnsureSuccess("dotnet publish -t:BuildImage");
        AssertContained(build.Output, canary.Path);
    }

    [TestMethod]
    public async Task TheCliStartedWithAHostDescriptorOpenKeepsItFromTheStep()
    {
        await ContainerizeCli.EnsureBuiltAsync();
        using var canary = Canary();
        using var work = new TempDirectory("ctz-fd-cli");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {EndToEndEnvironment.BusyboxImage}\nRUN {Attack}\n");
        var build = (await WithDescriptor7Async(canary.Path, ["dotnet", ContainerizeCli.Dll, "build", "--store", work.Combine("store"), "--archive", work.Combine("image.tar"), "-v", context]))
            .EnsureSuccess("containerize build");
        AssertContained(build.Output, canary.Path);
    }
}
