using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// CTZ7001 for real: ctz-run-probe (the launcher) runs as root of a user namespace of its own in
/// which a namespace limit was set to 0. The limits are per user namespace and bind everything
/// below it, so only the probe's process tree is refused; the host and parallel tests are not.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class NamespaceRefusalTests
{
    private static async Task<string> RunProbeWithLimitAsync(string limit, bool singleId)
    {
        using var f = await ContainerFixture.CreateAsync();
        string probe = Path.Combine(AppContext.BaseDirectory, "ctz-run-probe.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var args = new List<string>
        {
            "--user", "--map-root-user", "--", "/bin/sh", "-c", $"echo 0 > /proc/sys/user/{limit} && exec \"$@\"", "sh",
            dotnet, probe, f.Upper, f.Work, "", string.Join(':', f.Lowers), "/bin/true",
        };
        var env = new Dictionary<string, string?>();
        if (singleId) env["CTZ_PROBE_SINGLE_ID"] = "1";
        var result = await ProcessRunner.RunAsync("unshare", args, workingDirectory: "/tmp", environment: env);
        Assert.AreNotEqual("0", File.ReadAllText($"/proc/sys/user/{limit}").Trim(), "the limit of the tests' own namespace is untouched");
        return result.Output;
    }

    [TestMethod]
    public async Task NoMountNamespacesNamesTheLimitAndTheRemedy()
    {
        string output = await RunProbeWithLimitAsync("max_mnt_namespaces", singleId: false);
        StringAssert.Contains(output, "error CTZ7001: RUN steps need Linux namespaces, which this process may not create: user.max_mnt_namespaces is 0", output);
        StringAssert.Contains(output, "Remedy: as root, sysctl -w user.max_mnt_namespaces=", output);
        StringAssert.Contains(output, "unshare said: unshare: unshare failed: No space left on device", output);
    }

    [TestMethod]
    public async Task NoUserNamespacesNamesTheLimitAndTheRemedy()
    {
        string output = await RunProbeWithLimitAsync("max_user_namespaces", singleId: true);
        StringAssert.Contains(output, "error CTZ7001: RUN steps need Linux namespaces, which this process may not create: user.max_user_namespaces is 0", output);
        StringAssert.Contains(output, "Remedy: as root, sysctl -w user.max_user_namespaces=", output);
    }
}
