using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>A project with its own Dockerfile: <c>dotnet publish -t:BuildImage</c> builds it, judged with skopeo and umoci.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class DockerfileBuildTests
{
    private const string MultiStageDockerfile = """
        # syntax=docker/dockerfile:1
        ARG BASE=scratch
        FROM scratch AS assets
        ARG GREETING=hi
        COPY --chmod=0755 <<EOF /assets/greet.sh
        #!/bin/sh
        echo "${GREETING} from a heredoc"
        EOF
        COPY <<-"EOT" /assets/motd
        	tabs are stripped, $NOT_EXPANDED
        	EOT

        FROM ${BASE}
        ARG GREETING
        ENV GREETING=${GREETING}
        WORKDIR /app
        COPY --from=publish . .
        COPY --from=assets --chown=1000:1000 /assets/ /opt/assets/
        COPY --chmod=u=rwx,go=r config/ /etc/hello/
        USER 1000
        EXPOSE 8080/tcp
        LABEL org.example.built-by=containerize
        ENTRYPOINT ["dotnet", "DockerfileApp.dll"]
        """;

    [TestMethod]
    public async Task AMultiStageDockerfileBesideTheProjectIsTheRecipe()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "DockerfileApp");
        string registry = EndToEndEnvironment.Registry.Host;
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), MultiStageDockerfile);
        await File.WriteAllTextAsync(Path.Combine(project.Directory, ".dockerignore"), "bin/\nobj/\nconfig/secret.txt\n");
        Directory.CreateDirectory(Path.Combine(project.Directory, "config"));
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "config", "app.json"), "{\"name\":\"app\"}");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "config", "secret.txt"), "do not ship");
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>", $"""
              <ItemGroup>
                <ContainerBuildArg Include="BASE" Value="{EndToEndEnvironment.BusyboxImage}" />
                <ContainerBuildArg Include="GREETING" Value="hello" />
              </ItemGroup>
            </Project>
            """));

        var build = (await project.BuildImageAsync([$"ContainerRegistry={registry}", "ContainerRepository=samples/dockerfile", "ContainerImageTag=1"]))
            .EnsureSuccess("dotnet publish -t:BuildImage");
        string digest = SampleProject.DigestFrom(build);
        string image = $"docker://{registry}/samples/dockerfile:1";

        var inspect = await Skopeo.InspectAsync(image);
        Assert.AreEqual(digest, inspect.GetProperty("Digest").GetString());
        var baseLayers = (await Skopeo.InspectAsync($"docker://{EndToEndEnvironment.BusyboxImage}")).GetProperty("Layers").GetArrayLength();
        Assert.AreEqual(baseLayers + 4, inspect.GetProperty("Layers").GetArrayLength(), "the busybox base chosen by the build arg, WORKDIR and three COPY layers");

        var fullConfig = await Skopeo.InspectAsync(image, config: true);
        var config = fullConfig.GetProperty("config");
        Assert.AreEqual("/app", config.GetProperty("WorkingDir").GetString());
        Assert.AreEqual("1000", config.GetProperty("User").GetString());
        CollectionAssert.AreEqual(new[] { "dotnet", "DockerfileApp.dll" }, Strings(config.GetProperty("Entrypoint")));
        CollectionAssert.Contains(Strings(config.GetProperty("Env")), "GREETING=hello");
        CollectionAssert.AreEqual(new[] { "8080/tcp" }, config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToList());
        Assert.AreEqual("containerize", config.GetProperty("Labels").GetProperty("org.example.built-by").GetString());
        var history = fullConfig.GetProperty("history").EnumerateArray().ToList();
        Assert.AreEqual(baseLayers + 4, history.Count(h => !h.TryGetProperty("empty_layer", out var empty) || !empty.GetBoolean()), "one history entry per layer");

        using var layout = new TempDirectory("ctz-layout");
        string rootfs = await UnpackAsync(image, "1", layout);
        PublishOutputAssert.SameFiles(project.PublishDirectory, Path.Combine(rootfs, "app"));
        Assert.IsTrue(File.Exists(Path.Combine(rootfs, "bin", "busybox")), "the base image's files");
        string greet = Path.Combine(rootfs, "opt", "assets", "greet.sh");
        Assert.AreEqual("#!/bin/sh\necho \"hello from a heredoc\"\n", await File.ReadAllTextAsync(greet), "the heredoc expands the stage's ARG");
        await AssertFileAsync(greet, "755 1000 1000");
        Assert.AreEqual("tabs are stripped, $NOT_EXPANDED\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "opt", "assets", "motd")), "<<- strips tabs; a quoted delimiter expands nothing");
        string appJson = Path.Combine(rootfs, "etc", "hello", "app.json");
        Assert.AreEqual("{\"name\":\"app\"}", await File.ReadAllTextAsync(appJson));
        await AssertFileAsync(appJson, "744 0 0");
        Assert.IsFalse(File.Exists(Path.Combine(rootfs, "etc", "hello", "secret.txt")), ".dockerignore keeps the secret out");

        var items = (await ProcessRunner.RunAsync("dotnet", ["msbuild", project.ProjectFile, "-t:ComputeContainerBuildContext", "-getItem:ContainerBuildContextFile", "-nologo"],
            project.Directory, project.Environment)).EnsureSuccess("dotnet msbuild -getItem:ContainerBuildContextFile");
        var contextFiles = JsonDocument.Parse(items.StandardOutput).RootElement.GetProperty("Items").GetProperty("ContainerBuildContextFile")
            .EnumerateArray().Select(i => i.GetProperty("RelativePath").GetString()).ToList();
        CollectionAssert.Contains(contextFiles, "config/app.json");
        CollectionAssert.Contains(contextFiles, "Dockerfile");
        Assert.IsFalse(contextFiles.Any(f => f!.StartsWith("bin/", StringComparison.Ordinal) || f == "config/secret.txt"), "ignored files are not context items: " + string.Join(", ", contextFiles));
    }

    [TestMethod]
    public async Task ContainerTargetPicksAStageAndDockerfileErrorsPointIntoTheDockerfile()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "TargetApp");
        string dockerfile = Path.Combine(project.Directory, "Dockerfile");
        await File.WriteAllTextAsync(dockerfile, """
            FROM scratch AS good
            COPY --from=publish TargetApp.dll /app/

            FROM good AS broken
            COPY missing.txt /
            """);

        var good = (await project.BuildImageAsync(["ContainerTarget=good"])).EnsureSuccess("BuildImage with ContainerTarget=good");
        StringAssert.Contains(good.Output, "Built image sha256:");

        var broken = await project.BuildImageAsync([]);
        Assert.AreNotEqual(0, broken.ExitCode);
        StringAssert.Contains(broken.Output, $"{dockerfile}(5,1): error CTZ5251:", broken.Output);

        await File.WriteAllTextAsync(dockerfile, "FROM scratch\nCOPY --form=publish . /\n");
        var syntax = await project.BuildImageAsync([]);
        StringAssert.Contains(syntax.Output, $"{dockerfile}(2,1): error CTZ5201:", syntax.Output);
        Assert.IsFalse(syntax.Output.Contains("   at ", StringComparison.Ordinal), "no stack trace for a user error");
    }

    private static async Task<string> UnpackAsync(string image, string tag, TempDirectory layout)
    {
        (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", image, $"oci:{layout.Path}:{tag}")).EnsureSuccess("skopeo copy");
        string bundle = layout.Combine("bundle");
        (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:{tag}", bundle)).EnsureSuccess("umoci unpack");
        return Path.Combine(bundle, "rootfs");
    }

    /// <summary>Mode (octal), uid and gid as stat prints them.</summary>
    private static async Task AssertFileAsync(string path, string modeAndOwner)
    {
        var stat = (await ProcessRunner.RunAsync("stat", "-c", "%a %u %g", path)).EnsureSuccess("stat");
        Assert.AreEqual(modeAndOwner, stat.StandardOutput.Trim(), $"mode and owner of {path}");
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
