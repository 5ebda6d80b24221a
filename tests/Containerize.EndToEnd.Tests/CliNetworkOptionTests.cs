using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary><c>containerize build --network/--allow</c> and <c>containerize run --network</c>: mistakes are errors with their code, and a grant reaches the build.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class CliNetworkOptionTests
{
    [TestMethod]
    public async Task ABadNetworkOrEntitlementIsAnErrorWithItsCodeAndNoStackTrace()
    {
        using var work = new TempDirectory("ctz-cli-network");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\n");
        string store = work.Combine("store");

        await ContainerizeCli.AssertFailsWithAsync("error CTZ4030: --network 'bridge' is not a network", "build", "--store", store, "--network", "bridge", context);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4031: --allow 'security.insecure' is not supported", "build", "--store", store, "--allow", "network.host,security.insecure", context);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4031: --allow 'net.host' is not a known entitlement", "build", "--store", store, "--allow", "net.host", context);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4030: --network 'bridge' is not a network", "run", "--store", store, "--network", "bridge", "127.0.0.1:5000/app:1");
    }

    [TestMethod]
    public async Task RunNetworkHostBuildsOnlyWithAllowNetworkHostOrNetworkHost()
    {
        using var work = new TempDirectory("ctz-cli-network-host");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {EndToEndEnvironment.BusyboxImage}\nRUN --network=host true\n");
        string[] common = ["build", "--store", work.Combine("store"), "--archive", work.Combine("image.tar")];

        await ContainerizeCli.AssertFailsWithAsync($"{Path.Combine(context, "Dockerfile")}(2,1): error CTZ5230: RUN --network=host needs the network.host entitlement", [.. common, context]);
        (await ContainerizeCli.RunAsync([.. common, "--allow", "network.host", context])).EnsureSuccess("containerize build --allow network.host");
        (await ContainerizeCli.RunAsync([.. common, "--network", "host", context])).EnsureSuccess("containerize build --network host");
    }
}
