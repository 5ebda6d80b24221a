using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// Values from a hostile image config or Dockerfile on their way to the helper: a NUL is refused
/// with a clear error, and no separator in a value can add or override a key of the helper's spec.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class ContainerSpecValueTests
{
    [TestMethod]
    [DataRow("env", "Env entry 'EVIL'")]
    [DataRow("cwd", "WorkingDir")]
    [DataRow("user", "User")]
    [DataRow("arg", "command argument 3")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ANulInAnyValueIsAClearErrorNotACrash(string field, string named)
    {
        using var f = await ContainerFixture.CreateAsync();
        var spec = ContainerFixture.Shell(f.Spec(), "true");
        spec = field switch
        {
            "env" => spec with { Environment = [.. spec.Environment, "EVIL=a\0awaitnetwork\01"] },
            "cwd" => spec with { WorkingDirectory = "/w\0network\0host" },
            "user" => spec with { User = "root\0readonly" },
            _ => spec with { Command = ["/bin/sh", "-c", "true\0"] },
        };
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => f.RunAsync(spec));
        Assert.AreEqual(ErrorCodes.NulInContainerSpec, e.Code);
        StringAssert.Contains(e.Message, named);
        StringAssert.Contains(e.Message, "NUL");
        Assert.AreEqual(0, f.UpperEntries().Length, "nothing ran");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task NewlinesAndEqualsSignsInValuesCannotAddSpecKeys()
    {
        using var f = await ContainerFixture.CreateAsync();
        const string Injected = "x\nnetwork\nhost\nreadonly\n1\nmount.type\nbind\nmount.source\n/\nmount.target\n/host";
        var spec = ContainerFixture.Shell(f.Spec(), "printf '%s|' \"$EVIL\" \"$(pwd)\"; ls /sys/class/net | tr '\\n' ' '; test -e /host && echo host-mounted; touch /written && echo writable") with
        {
            Network = ContainerNetwork.None,
            Environment = [.. f.Spec().Environment, "EVIL=" + Injected, "network=host"],
            WorkingDirectory = "/tmp/" + Injected,
        };
        var (code, output) = await f.RunAsync(spec);
        Assert.AreEqual(0, code, output);
        Assert.AreEqual($"{Injected}|/tmp/{Injected}|lo writable", output, "the values arrive whole; no network, mount or read-only root was added");
    }
}
