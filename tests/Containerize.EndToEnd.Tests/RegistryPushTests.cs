using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

[TestCategory("EndToEnd")]
[TestClass]
public class RegistryPushTests
{
    [TestMethod]
    public async Task PublishPushesALayeredImageWithTheProjectsSettings()
    {
        using var project = await SampleProject.CreateConsoleAsync();
        string registry = EndToEndEnvironment.Registry.Host;
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>", """
              <PropertyGroup>
                <ContainerImageTags>1.2.3;latest</ContainerImageTags>
              </PropertyGroup>
              <ItemGroup>
                <ContainerEnvironmentVariable Include="GREETING" Value="hello world" />
                <ContainerPort Include="8080" Type="tcp" />
                <ContainerPort Include="5353" Type="udp" />
                <ContainerLabel Include="com.example.team" Value="platform" />
              </ItemGroup>
            </Project>
            """));

        var build = await project.BuildImageAsync([
            $"ContainerRegistry={registry}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
            "ContainerRepository=samples/hello",
            "ContainerUser=app",
            "Version=1.2.3",
        ]);
        build.EnsureSuccess("dotnet publish -t:BuildImage");
        string digest = SampleProject.DigestFrom(build);
        StringAssert.Contains(build.Output, $"{registry}/samples/hello:1.2.3");

        var inspect = await Skopeo.InspectAsync($"docker://{registry}/samples/hello:1.2.3");
        Assert.AreEqual(digest, inspect.GetProperty("Digest").GetString(), "the registry serves the digest the build reported");
        var latest = await Skopeo.InspectAsync($"docker://{registry}/samples/hello:latest");
        Assert.AreEqual(digest, latest.GetProperty("Digest").GetString(), "every requested tag points at the image");
        var baseInspect = await Skopeo.InspectAsync($"docker://{EndToEndEnvironment.BusyboxImage}");
        var layers = inspect.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
        var baseLayers = baseInspect.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.AreEqual(baseLayers.Count + 1, layers.Count, "the publish output is one layer on top of the base layers");
        CollectionAssert.AreEqual(baseLayers, layers.Take(baseLayers.Count).ToList(), "base layers are reused unchanged");

        var config = (await Skopeo.InspectAsync($"docker://{registry}/samples/hello:1.2.3", config: true)).GetProperty("config");
        Assert.AreEqual("/app", config.GetProperty("WorkingDir").GetString());
        Assert.AreEqual("app", config.GetProperty("User").GetString());
        CollectionAssert.AreEqual(new[] { "/app/HelloApp" }, Strings(config.GetProperty("Entrypoint")));
        var env = Strings(config.GetProperty("Env"));
        CollectionAssert.Contains(env, "GREETING=hello world");
        Assert.IsTrue(env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)), "the base image's environment is kept");
        var ports = config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToList();
        CollectionAssert.AreEquivalent(new[] { "8080/tcp", "5353/udp" }, ports);
        var labels = config.GetProperty("Labels");
        Assert.AreEqual("platform", labels.GetProperty("com.example.team").GetString());
        Assert.AreEqual("1.2.3", labels.GetProperty("org.opencontainers.image.version").GetString());

        using var copy = new TempDirectory("ctz-skopeo-dir");
        await Skopeo.CopyToDirectoryAsync($"docker://{registry}/samples/hello:1.2.3", copy.Path);
        string appLayer = copy.Combine(layers[^1]!.Split(':')[1]);
        CollectionAssert.AreEqual(new[] { "0/0" }, (await PublishOutputAssert.OwnersAsync(appLayer)).ToList(), "files are owned by root, as the SDK does");
        using var unpacked = new TempDirectory("ctz-unpacked");
        (await ProcessRunner.RunAsync("tar", "-xzf", appLayer, "-C", unpacked.Path)).EnsureSuccess("tar -xzf");
        PublishOutputAssert.SameFiles(project.PublishDirectory, Path.Combine(unpacked.Path, "app"));
    }

    [TestMethod]
    public async Task AnImageBuiltTwiceWithSourceDateEpochHasOneDigest()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "Reproducible");
        string[] properties = [
            $"ContainerRegistry={EndToEndEnvironment.Registry.Host}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
        ];
        var epoch = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        var first = (await project.BuildImageAsync(properties, epoch)).EnsureSuccess("first build");
        Directory.Delete(Path.Combine(project.Directory, "bin"), recursive: true);
        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);
        var second = (await project.BuildImageAsync(properties, epoch)).EnsureSuccess("second build");
        Assert.AreEqual(SampleProject.DigestFrom(first), SampleProject.DigestFrom(second));

        var config = await Skopeo.InspectAsync($"docker://{EndToEndEnvironment.Registry.Host}/reproducible:1.0.0", config: true);
        Assert.AreEqual("2023-11-14T22:13:20Z", config.GetProperty("created").GetString(), "the creation time is SOURCE_DATE_EPOCH");
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
