namespace Containerize.EndToEnd.Tests;

[TestClass]
public class PackageConsumptionTests
{
    [TestMethod]
    public async Task TheMsBuildSdkFlavourBuildsAnImage()
    {
        using var project = await SampleProject.CreateConsoleAsync(SampleProject.Reference.Sdk, "SdkApp");
        var build = await project.BuildImageAsync([
            $"ContainerRegistry={EndToEndEnvironment.Registry.Host}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
        ]);
        build.EnsureSuccess("dotnet publish -t:BuildImage with Containerize.Sdk");
        var inspect = await Skopeo.InspectAsync($"docker://{EndToEndEnvironment.Registry.Host}/sdkapp:1.0.0");
        Assert.AreEqual(SampleProject.DigestFrom(build), inspect.GetProperty("Digest").GetString());
    }

    [TestMethod]
    public async Task DesignTimeBuildsNeverBuildAnImage()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "DesignTime");
        var build = await project.BuildImageAsync([
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
            "DesignTimeBuild=true",
        ], command: "build");
        build.EnsureSuccess("design-time build");
        Assert.IsFalse(build.Output.Contains("Built image", StringComparison.Ordinal), build.Output);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "bin", "Release", "net10.0", "container")));
    }
}
