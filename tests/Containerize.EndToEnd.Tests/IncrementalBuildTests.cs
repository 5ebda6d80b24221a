using System.Text.Json;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// <c>dotnet publish -t:BuildImage</c> twice: the second build skips the image target when
/// nothing it reads has changed, still returns the image's references, and reruns for a changed
/// source, Dockerfile, context file, build argument or output.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class IncrementalBuildTests
{
    private const string SkippedLine = "Skipping target \"_ContainerizeBuildImage\" because all output files are up-to-date";

    [TestMethod]
    public async Task AnUnchangedProjectSkipsTheImageBuildAndReturnsWhatTheLastBuildPushed()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "IncrementalApp");
        string registry = EndToEndEnvironment.Registry.Host;
        string[] properties = [$"ContainerRegistry={registry}", $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}", "ContainerRepository=incremental/generated"];

        var first = (await project.BuildImageAsync(properties)).EnsureSuccess("first build");
        string digest = SampleProject.DigestFrom(first);
        string[] references = [$"{registry}/incremental/generated:1.0.0", $"{registry}/incremental/generated@{digest}"];

        var second = (await project.BuildImageAsync(properties, verbosity: "d")).EnsureSuccess("second build");
        AssertSkipped(second);
        StringAssert.Contains(second.Output, $"Image {digest} is up to date, nothing changed since it was built: {string.Join(", ", references)}");

        var result = (await project.BuildImageAsync(properties, switches: ["-getTargetResult:BuildImage", "-getProperty:ContainerImageDigest"]))
            .EnsureSuccess("third build, asked for BuildImage's result");
        var json = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.AreEqual(digest, json.GetProperty("Properties").GetProperty("ContainerImageDigest").GetString(), "$(ContainerImageDigest) of a skipped build");
        var returned = json.GetProperty("TargetResults").GetProperty("BuildImage").GetProperty("Items").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()).ToList();
        CollectionAssert.AreEqual(references, returned, "BuildImage returns the pushed references when it skips the build");

        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Program.cs"), "Console.WriteLine(\"Changed\");\n");
        var changedSource = (await project.BuildImageAsync(properties)).EnsureSuccess("build after a source change");
        Assert.AreNotEqual(digest, SampleProject.DigestFrom(changedSource), "a changed source file makes a new image");

        var newTag = (await project.BuildImageAsync([.. properties, "ContainerImageTag=2"])).EnsureSuccess("build with another tag");
        string tagged = SampleProject.DigestFrom(newTag);
        var inspect = await Skopeo.InspectAsync($"docker://{registry}/incremental/generated:2");
        Assert.AreEqual(tagged, inspect.GetProperty("Digest").GetString(), "a changed setting (no file changed) rebuilds and pushes the new tag");
    }

    [TestMethod]
    public async Task ADockerfileBuildRerunsForItsInputsAndAnAllCachedPushOnlyAsks()
    {
        using var registry = RegistryServer.StartAnonymousWithAccessLog();
        using var project = await SampleProject.CreateConsoleAsync(name: "IncrementalDockerfile");
        string dockerfile = Path.Combine(project.Directory, "Dockerfile");
        string config = Path.Combine(project.Directory, "config", "app.json");
        await File.WriteAllTextAsync(dockerfile, """
            ARG BASE
            FROM ${BASE}
            ARG GREETING
            COPY --from=publish . /app/
            COPY config/ /etc/app/
            LABEL greeting=${GREETING}
            """);
        await File.WriteAllTextAsync(Path.Combine(project.Directory, ".dockerignore"), "bin/\nobj/\nnotes/\n");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        await File.WriteAllTextAsync(config, "{\"level\":1}");
        Directory.CreateDirectory(Path.Combine(project.Directory, "notes"));
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        // GREETING has no Value: it comes from the environment variable, as docker build --build-arg GREETING.
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>", $"""
              <ItemGroup>
                <ContainerBuildArg Include="BASE" Value="{EndToEndEnvironment.BusyboxImage}" />
                <ContainerBuildArg Include="GREETING" />
              </ItemGroup>
            </Project>
            """));
        string[] properties = [$"ContainerRegistry={registry.Host}", "ContainerRepository=incremental/dockerfile"];
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000", ["GREETING"] = "hello" };
        Task<ProcessResult> BuildAsync(string what) => BuildAndCheckAsync(project, properties, environment, what);

        string digest = SampleProject.DigestFrom(await BuildAsync("first build"));
        AssertSkipped(await BuildAsync("unchanged"));

        await File.WriteAllTextAsync(Path.Combine(project.Directory, "notes", "todo.txt"), "not in the context");
        AssertSkipped(await BuildAsync("a file .dockerignore excludes is new"));

        // Timestamps decide, as for any MSBuild target: touch reruns the build, which gives the same image.
        File.SetLastWriteTimeUtc(config, DateTime.UtcNow);
        await registry.WaitForQuietAsync();
        int before = registry.Requests.Count;
        var touched = await BuildAsync("a context file touched");
        Assert.AreEqual(digest, SampleProject.DigestFrom(touched), "same content, same image");
        await registry.WaitForQuietAsync();
        var requests = registry.Requests.Skip(before).ToList();
        Assert.IsTrue(requests.Any(r => r.StartsWith("HEAD ", StringComparison.Ordinal)), "the push asked the registry: " + string.Join("\n", requests));
        Assert.IsFalse(requests.Any(r => !r.StartsWith("HEAD ", StringComparison.Ordinal) && r != "GET /v2/"),
            "an image the registry has in full is pushed with HEAD requests only, no blob or manifest upload:\n" + string.Join("\n", requests));

        await File.WriteAllTextAsync(config, "{\"level\":2}");
        string changedFile = SampleProject.DigestFrom(await BuildAsync("a context file changed"));
        Assert.AreNotEqual(digest, changedFile);

        environment["GREETING"] = "bonjour";
        string changedArg = SampleProject.DigestFrom(await BuildAsync("a build argument changed"));
        Assert.AreNotEqual(changedFile, changedArg);
        var labels = (await Skopeo.InspectAsync($"docker://{registry.Host}/incremental/dockerfile:1.0.0", config: true)).GetProperty("config").GetProperty("Labels");
        Assert.AreEqual("bonjour", labels.GetProperty("greeting").GetString());

        await File.AppendAllTextAsync(dockerfile, "\nENV CHANGED=1\n");
        Assert.AreNotEqual(changedArg, SampleProject.DigestFrom(await BuildAsync("the Dockerfile changed")));
    }

    [TestMethod]
    public async Task AFailedBuildLeavesNoMarkerAndAnArchiveIsRebuiltWhenDeletedOrMoved()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "IncrementalArchive");
        string dockerfile = Path.Combine(project.Directory, "Dockerfile");
        await File.WriteAllTextAsync(dockerfile, "FROM scratch\nCOPY --from=publish IncrementalArchive.dll /app/\nCOPY missing.txt /\n");
        string[] properties = ["ContainerArchiveOutputPath=out/image.tar"];

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            var failed = await project.BuildImageAsync(properties, verbosity: "d");
            Assert.AreNotEqual(0, failed.ExitCode, $"attempt {attempt} fails: {failed.Output}");
            StringAssert.Contains(failed.Output, "error CTZ5251", $"attempt {attempt} runs the build again");
            Assert.IsFalse(failed.Output.Contains(SkippedLine, StringComparison.Ordinal), "a failed build is never up to date");
        }

        await File.WriteAllTextAsync(Path.Combine(project.Directory, "missing.txt"), "here now");
        string archive = Path.Combine(project.Directory, "out", "image.tar");
        var built = (await project.BuildImageAsync(properties)).EnsureSuccess("build once the file exists");
        Assert.IsTrue(File.Exists(archive));
        string digest = SampleProject.DigestFrom(built);
        var skipped = (await project.BuildImageAsync(properties, verbosity: "d")).EnsureSuccess("unchanged");
        AssertSkipped(skipped);
        StringAssert.Contains(skipped.Output, $"Image {digest} is up to date, nothing changed since it was written to {archive}");

        File.Delete(archive);
        (await project.BuildImageAsync(properties)).EnsureSuccess("build after the archive was deleted");
        Assert.IsTrue(File.Exists(archive), "a deleted archive is written again");

        (await project.BuildImageAsync(["ContainerArchiveOutputPath=elsewhere/"])).EnsureSuccess("build to another archive path");
        Assert.IsTrue(File.Exists(Path.Combine(project.Directory, "elsewhere", "incrementalarchive.tar")), "a new destination is written");
    }

    private static async Task<ProcessResult> BuildAndCheckAsync(SampleProject project, string[] properties, Dictionary<string, string?> environment, string what) =>
        (await project.BuildImageAsync(properties, environment, verbosity: "d")).EnsureSuccess(what);

    private static void AssertSkipped(ProcessResult build)
    {
        StringAssert.Contains(build.Output, SkippedLine, "the image target is skipped");
        Assert.IsFalse(build.Output.Contains("Built image", StringComparison.Ordinal), "no image is built");
        Assert.IsFalse(build.Output.Contains("Pushed ", StringComparison.Ordinal), "nothing is pushed");
    }
}
