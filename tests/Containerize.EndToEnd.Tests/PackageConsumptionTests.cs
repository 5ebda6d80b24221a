namespace Containerize.EndToEnd.Tests;

[TestClass]
public class PackageConsumptionTests
{
    [TestMethod]
    [DataRow(SampleProject.Reference.Sdk, "SdkApp")]
    [DataRow(SampleProject.Reference.SdkAlone, "SdkAloneApp")]
    public async Task TheMsBuildSdkFlavourBuildsAnImage(SampleProject.Reference reference, string name)
    {
        using var project = await SampleProject.CreateConsoleAsync(reference, name);
        var build = await project.BuildImageAsync([
            $"ContainerRegistry={EndToEndEnvironment.Registry.Host}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
        ]);
        build.EnsureSuccess($"dotnet publish -t:BuildImage with Containerize.Sdk ({reference})");
        var inspect = await Skopeo.InspectAsync($"docker://{EndToEndEnvironment.Registry.Host}/{name.ToLowerInvariant()}:1.0.0");
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
