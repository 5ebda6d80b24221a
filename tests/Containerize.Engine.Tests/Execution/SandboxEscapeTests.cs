using Containerize.Engine.Execution;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// A hostile step (<see cref="SandboxAttack"/>) run as root through the launcher, on overlay and on
/// the copy fallback (a plain root directory changed in place): nothing it tries reaches the host.
/// The ordinary-user variants are in <see cref="RootlessContainerTests"/>, <c>containerize run</c>'s in
/// <see cref="ImageRunnerRootfsTests"/>.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
[DoNotParallelize] // the inherited descriptor is open in the whole test process while each test runs
public sealed class SandboxEscapeTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(ContainerFixture f, bool copyFallback, string script, Func<ContainerSpec, ContainerSpec>? change = null)
    {
        var spec = ContainerFixture.Shell(copyFallback ? f.CopySpec() : f.Spec(), script) with
        {
            Mounts = [ContainerMount.Tmpfs("/scratch"), ContainerMount.Bind(f.BindSource(), "/rw", readOnly: false)],
        };
        return await f.RunAsync(change is null ? spec : change(spec));
    }

    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    public async Task AHostileStepReachesNoHostDescriptorDeviceOrKernelSetting(bool copyFallback)
    {
        using var attack = SandboxAttack.Create();
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await RunAsync(f, copyFallback, attack.Script());
        Assert.AreEqual(0, code, output);
        attack.AssertContained(output, copyFallback ? "root, copy fallback" : "root, overlay");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    public async Task ANodeOfTheHostsLoopDeviceCannotBeOpenedAnywhereTheStepCanWrite(bool copyFallback)
    {
        using var attack = SandboxAttack.Create();
        using var f = await ContainerFixture.CreateAsync();
        string script = string.Join("; ", new[] { "/tmp", "/dev", "/dev/shm", "/scratch", "/rw", "/" }.Select(dir =>
            $"mknod {dir.TrimEnd('/')}/loop-node b {attack.LoopMajor} {attack.LoopMinor} && (head -c 8 {dir.TrimEnd('/')}/loop-node 2>/dev/null && echo || echo {dir}=refused)"));
        var (code, output) = await RunAsync(f, copyFallback, script);
        Assert.AreEqual(0, code, output);
        Assert.IsFalse(output.Contains(SandboxAttack.LoopMarker, StringComparison.Ordinal), $"read the host's loop device:\n{output}");
        Assert.AreEqual("/tmp=refused\n/dev=refused\n/dev/shm=refused\n/scratch=refused\n/rw=refused\n/=refused", output, "mknod works (CAP_MKNOD, as under Docker); opening the node does not");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    public async Task AWorkingDirectoryThroughADescriptorOfTheHelperDoesNotLeaveTheRoot(bool copyFallback)
    {
        // runc's CVE-2024-21626: WORKDIR /proc/self/fd/N, N a descriptor the runtime still holds on a
        // host folder when it changes directory, puts the command's cwd outside the root.
        using var f = await ContainerFixture.CreateAsync();
        for (int fd = 3; fd < 12; fd++)
        {
            var spec = ContainerFixture.Shell(copyFallback ? f.CopySpec() : f.Spec(), "pwd; ls -a ..") with { WorkingDirectory = $"/proc/self/fd/{fd}" };
            try
            {
                var (code, output) = await f.RunAsync(spec);
                Assert.IsFalse(output.Contains("spec", StringComparison.Ordinal) || output.Contains("ctz-", StringComparison.Ordinal) || output.Contains("unreachable", StringComparison.Ordinal),
                    $"WORKDIR /proc/self/fd/{fd} ran the command in a host folder (exit {code}):\n{output}");
            }
            catch (Diagnostics.ContainerizeException e)
            {
                StringAssert.Contains(e.Message, $"/proc/self/fd/{fd}", "refused, naming the working directory");
            }
        }
    }

    [TestMethod]
    public async Task TheStandardDevicesStillWorkOnNodevMounts()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.ShAsync("echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c && (echo x > /dev/full) 2>&1 | grep -c 'No space'; grep -E ' / | /dev ' /proc/mounts | grep -c nodev");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("4\n4\n1\n2", output, "null, zero, urandom and full work; / and /dev are nodev");
    }
}
