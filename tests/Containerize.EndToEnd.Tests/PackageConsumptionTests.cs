using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Containerize.EndToEnd.Tests;

[TestCategory("EndToEnd")]
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

        // A RUN step through the helper the Sdk package ships.
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN echo "ran in {name}" > /ran && cat /ran
            """);
        var withRun = await project.BuildImageAsync([
            $"ContainerRegistry={EndToEndEnvironment.Registry.Host}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
        ]);
        withRun.EnsureSuccess($"a Dockerfile with RUN, Containerize.Sdk ({reference})");
        StringAssert.Contains(withRun.Output, $"ran in {name}", withRun.Output);
    }

    [TestMethod]
    public async Task MsBuildOnDotnet10LoadsTheTasksPrecompiledForIt()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "Precompiled");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN echo native helper > /ran
            """);
        var build = await project.BuildImageAsync([
            $"ContainerRegistry={EndToEndEnvironment.Registry.Host}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
        ], verbosity: "d");
        build.EnsureSuccess("BuildImage at detailed verbosity");
        var loadedFrom = Regex.Matches(build.Output, "task from assembly \"([^\"]+Containerize\\.Tasks\\.dll)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.AreEqual(1, loadedFrom.Count, build.Output);
        string tasks = Path.GetDirectoryName(Path.GetFullPath(loadedFrom[0]))!;
        Assert.AreEqual("net10.0", Path.GetFileName(tasks), "the test host's MSBuild runs on .NET 10");
        foreach (string assembly in new[] { "Containerize.Tasks.dll", "Containerize.Engine.dll", "containerize-helper.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(tasks, assembly)));
            Assert.IsTrue(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is precompiled (ReadyToRun)");
        }
        // The native helper beside them, and executable (NuGet does not keep file modes; the first RUN step made it so).
        var mode = File.GetUnixFileMode(Path.Combine(tasks, "containerize-helper-linux-x64"));
        Assert.AreNotEqual(UnixFileMode.None, mode & UnixFileMode.UserExecute);
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
