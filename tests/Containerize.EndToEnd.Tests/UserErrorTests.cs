using System.Net;
using System.Net.Sockets;

namespace Containerize.EndToEnd.Tests;

/// <summary>A user's mistake is an MSBuild error with a stable code and advice, never a stack trace.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class UserErrorTests
{
    [TestMethod]
    public async Task MistakesAreReportedWithTheirCodeAndNoStackTrace()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "Mistakes");
        string registry = EndToEndEnvironment.Registry.Host;

        await AssertFailsWith(project, "CTZ1000", "ContainerBaseImage=Not A/Valid Reference");
        await AssertFailsWith(project, "CTZ2002", $"ContainerBaseImage={registry}/base/does-not-exist:1.0", $"ContainerRegistry={registry}");
        await AssertFailsWith(project, "CTZ2000", $"ContainerBaseImage=127.0.0.1:{ClosedPort()}/busybox:latest");
        await AssertFailsWith(project, "CTZ4000", $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}", "ContainerImageFormat=Zip");
    }

    [TestMethod]
    public async Task ABadRunNetworkOrEntitlementIsReportedWithItsCode()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "NetworkMistakes");
        string busybox = $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}";

        await AssertFailsWith(project, "CTZ4030", busybox, "ContainerRunNetwork=bridge");
        await AssertFailsWith(project, "CTZ4031", busybox, "ContainerAllow=security.insecure");
    }

    private static async Task AssertFailsWith(SampleProject project, string code, params string[] properties)
    {
        var result = await project.BuildImageAsync(properties);
        Assert.AreNotEqual(0, result.ExitCode, $"the build must fail for {string.Join(' ', properties)}");
        StringAssert.Contains(result.Output, $"error {code}:", $"expected {code}:\n{result.Output}");
        Assert.IsFalse(result.Output.Contains("   at ", StringComparison.Ordinal), $"no stack trace for a user error:\n{result.Output}");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
