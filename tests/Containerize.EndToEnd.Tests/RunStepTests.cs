using Containerize.Engine.Oci;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>Dockerfiles with RUN steps through <c>dotnet publish -t:BuildImage</c>, in real namespaces; images judged with skopeo and umoci.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class RunStepTests
{
    [TestMethod]
    public async Task AptGetInstallsAPackageAndFileChangesLandInTheLayers()
    {
        string debian = await EndToEndEnvironment.DebianImageAsync();
        using var project = await SampleProject.CreateConsoleAsync(name: "AptApp");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, ".dockerignore"), "bin/\nobj/\n");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), """
            ARG BASE
            FROM ${BASE}
            RUN apt-get update && apt-get install -y --no-install-recommends figlet && rm -rf /var/lib/apt/lists/*
            RUN useradd --uid 1654 --create-home app && rm /etc/debian_version \
             && rm -r /usr/share/doc && mkdir /usr/share/doc && echo replaced > /usr/share/doc/README
            USER app
            WORKDIR /home/app
            RUN echo "built by $(id -un)" > note.txt
            COPY --from=publish . /app/
            """);
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>", $"""
              <ItemGroup><ContainerBuildArg Include="BASE" Value="{debian}" /></ItemGroup>
            </Project>
            """));
        string registry = EndToEndEnvironment.Registry.Host;

        var build = (await project.BuildImageAsync([$"ContainerRegistry={registry}", "ContainerRepository=samples/apt", "ContainerImageTag=1"]))
            .EnsureSuccess("dotnet publish -t:BuildImage");
        StringAssert.Contains(build.Output, "Setting up figlet", "RUN output is streamed to the build log");

        using var layout = new TempDirectory("ctz-apt-layout");
        (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{registry}/samples/apt:1", $"oci:{layout.Path}:1")).EnsureSuccess("skopeo copy");
        string bundle = layout.Combine("bundle");
        (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:1", bundle)).EnsureSuccess("umoci unpack");
        string rootfs = Path.Combine(bundle, "rootfs");
        Assert.IsTrue(File.Exists(Path.Combine(rootfs, "usr", "bin", "figlet-figlet")), "apt-get installed figlet");
        Assert.IsFalse(File.Exists(Path.Combine(rootfs, "etc", "debian_version")), "a file deleted by RUN is gone (whiteout)");
        CollectionAssert.AreEqual(new[] { "README" }, Directory.GetFileSystemEntries(Path.Combine(rootfs, "usr", "share", "doc")).Select(Path.GetFileName).ToList(),
            "a replaced directory hides everything the base had in it (opaque directory)");
        string note = Path.Combine(rootfs, "home", "app", "note.txt");
        Assert.AreEqual("built by app\n", await File.ReadAllTextAsync(note));
        Assert.AreEqual("1654 1654", (await ProcessRunner.RunAsync("stat", "-c", "%u %g", note)).EnsureSuccess("stat").StandardOutput.Trim(), "files made by USER app are app's");
        Assert.IsTrue(File.Exists(Path.Combine(rootfs, "app", "AptApp.dll")));

        using var store = new TempDirectory("ctz-run-store");
        var output = new List<string>();
        int exit = await ImageRunner.RunAsync(
            new RunImageRequest { Image = ImageReference.Parse($"{registry}/samples/apt:1"), Command = ["figlet", "ok"] },
            new BuildSettings { Store = new BlobStore(store.Path) }, output.Add, CancellationToken.None);
        Assert.AreEqual(0, exit);
        StringAssert.Contains(string.Join('\n', output), "| |", "figlet runs in the built image: " + string.Join('\n', output));
    }

    [TestMethod]
    public async Task RunImageBuildsPushesAndRunsTheImageWithItsOutputInTheLog()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "RunImageApp");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN echo "made by a RUN step" > /message
            ENTRYPOINT ["/bin/sh", "-c", "cat /message; exit ${"{EXIT:-0}"}"]
            """);
        string[] properties = [$"ContainerRegistry={EndToEndEnvironment.Registry.Host}", "ContainerRepository=samples/run-image"];

        var run = (await project.BuildImageAsync(properties, target: "RunImage")).EnsureSuccess("dotnet publish -t:RunImage");
        StringAssert.Contains(run.Output, "made by a RUN step", run.Output);

        await File.AppendAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), "\nENV EXIT=3\n");
        var failing = await project.BuildImageAsync(properties, target: "RunImage");
        Assert.AreNotEqual(0, failing.ExitCode);
        StringAssert.Contains(failing.Output, "error CTZ7102: The image", failing.Output);
        StringAssert.Contains(failing.Output, "exited with code 3");
    }

    [TestMethod]
    public async Task AFailingRunIsAnErrorAtItsLineWithTheExitCodeAndTheOutputTail()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "FailingRun");
        string dockerfile = Path.Combine(project.Directory, "Dockerfile");
        await File.WriteAllTextAsync(dockerfile, $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN echo preparing
            RUN echo "something went wrong" >&2; exit 42
            """);

        var result = await project.BuildImageAsync([]);

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, $"{dockerfile}(3,1): error CTZ5220:", result.Output);
        StringAssert.Contains(result.Output, "exit code 42");
        StringAssert.Contains(result.Output, "something went wrong");
        Assert.IsFalse(result.Output.Contains("   at ", StringComparison.Ordinal), "no stack trace for a failing step");
    }
}
