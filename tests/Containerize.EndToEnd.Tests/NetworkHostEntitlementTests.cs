namespace Containerize.EndToEnd.Tests;

/// <summary>ContainerAllow=network.host through <c>dotnet publish -t:BuildImage</c>: the grant reaches the build, and taking it back is not skipped as up to date.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class NetworkHostEntitlementTests
{
    [TestMethod]
    public async Task RunNetworkHostBuildsOnlyWhileContainerAllowGrantsNetworkHost()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "HostNetworkApp");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, ".dockerignore"), "bin/\nobj/\n");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN --network=host true
            COPY --from=publish . /app/
            """);
        string refused = $"Dockerfile(2,1): error CTZ5230: RUN --network=host needs the network.host entitlement";

        var without = await project.BuildImageAsync([]);
        Assert.AreNotEqual(0, without.ExitCode, without.Output);
        StringAssert.Contains(without.Output, refused, without.Output);

        (await project.BuildImageAsync(["ContainerAllow=network.host"])).EnsureSuccess("BuildImage with ContainerAllow=network.host");

        var takenBack = await project.BuildImageAsync([]);
        Assert.AreNotEqual(0, takenBack.ExitCode, "the image built with the grant is not up to date without it:\n" + takenBack.Output);
        StringAssert.Contains(takenBack.Output, refused, takenBack.Output);
    }
}
