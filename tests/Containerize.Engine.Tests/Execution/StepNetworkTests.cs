using Containerize.Engine.Execution;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The network a step gets, as root, on overlay and on the copy fallback: by default its own
/// (the outside reachable, the build machine's loopback services not), the host's only when asked,
/// none but its own loopback with <c>none</c>. The ordinary-user variant is in <see cref="RootlessContainerTests"/>.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class StepNetworkTests
{
    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    public async Task ByDefaultAStepReachesTheOutsideButNotTheBuildMachinesLoopbackServices(bool copyFallback)
    {
        using var network = new StepNetwork();
        using var f = await ContainerFixture.CreateAsync();
        var spec = ContainerFixture.Shell(copyFallback ? f.CopySpec() : f.Spec(), network.Script());
        var (code, output) = await f.RunAsync(spec);
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("127.0.0.1=unreachable\n10.0.2.2=unreachable\noutside-service", output);

        (code, output) = await f.RunAsync(spec with { Network = ContainerNetwork.Host });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("loopback-service\n10.0.2.2=unreachable\noutside-service", output, "the host's network is the opt-in that reaches loopback services");

        (code, output) = await f.RunAsync(spec with { Network = ContainerNetwork.None });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("127.0.0.1=unreachable\n10.0.2.2=unreachable\noutside=unreachable", output);
    }

    [TestMethod]
    public async Task NamesResolveThroughTheUserModeStacksForwarder()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.ShAsync("nslookup localhost 10.0.2.3 >/dev/null 2>&1 && echo forwarder-answers; grep -c '^nameserver 10.0.2.3$' /etc/resolv.conf");
        Assert.AreEqual(0, code, output);
        StringAssert.EndsWith(output, "1", output);
    }

    [TestMethod]
    [DoNotParallelize] // changes PATH for the whole test process
    public async Task WithoutTheUserModeStackTheStepFailsWithAnErrorNamingThePackageAndTheSetting()
    {
        using var f = await ContainerFixture.CreateAsync();
        string? path = Environment.GetEnvironmentVariable("PATH");
        string empty = Path.Combine(Path.GetTempPath(), $"ctz-empty-path-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        try
        {
            // unshare is also looked for in /usr/bin and /bin; slirp4netns only on PATH.
            Environment.SetEnvironmentVariable("PATH", empty);
            var e = await Assert.ThrowsExactlyAsync<Diagnostics.ContainerizeException>(() => f.ShAsync("echo never"));
            Assert.AreEqual("CTZ7009", e.Code);
            StringAssert.Contains(e.Message, "apt-get install slirp4netns");
            StringAssert.Contains(e.Message, "ContainerRunNetwork=host");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Directory.Delete(empty);
        }
    }
}
