using Containerize.Engine.IO.Native;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The launcher as an ordinary user: a user created here (useradd gives it a /etc/subuid range) runs
/// ctz-run-probe (ContainerRunner from the command line) through runuser. Container root is that
/// user; container ids 1..65536 are its subordinate range (newuidmap/newgidmap).
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class RootlessContainerTests
{
    private const string UserName = RootlessUser.Name;
    private static uint _uid;
    private static long _subUidStart;

    [ClassInitialize]
    public static async Task CreateUser(TestContext context)
    {
        (_, _uid, _) = await RootlessUser.EnsureAsync();
        string? line = File.ReadLines("/etc/subuid").FirstOrDefault(l => l.StartsWith(UserName + ":", StringComparison.Ordinal));
        Assert.IsNotNull(line, $"useradd gave {UserName} no /etc/subuid range");
        _subUidStart = long.Parse(line.Split(':')[1]);
    }

    /// <param name="prepare">Adds to the fixture's folder (which then becomes the user's) and to the probe's environment.</param>
    private static async Task<(string Output, ContainerFixture Fixture, string Lower)> RunAsUserAsync(string user, string script, bool withSubordinateIds = true,
        Action<ContainerFixture, Dictionary<string, string?>>? prepare = null, bool copyFallback = false, string? network = null)
    {
        var f = await ContainerFixture.CreateAsync();
        // Layers are unpacked with ownership that exists inside the mapping (here: the user, i.e. container root).
        string lower = f.AddLayer(d => ExternalTool.RunChecked("cp", "-a", f.BaseLayer + "/.", d));
        var env = new Dictionary<string, string?> { ["HOME"] = $"/home/{UserName}", ["DOTNET_CLI_HOME"] = $"/home/{UserName}" };
        if (!withSubordinateIds) env["CTZ_PROBE_SINGLE_ID"] = "1";
        if (copyFallback) env["CTZ_PROBE_ROOT_DIRECTORY"] = "1";
        if (network is not null) env["CTZ_PROBE_NETWORK"] = network;
        prepare?.Invoke(f, env);
        foreach (string dir in new[] { lower, f.Upper, f.Work, Path.GetDirectoryName(f.Upper)! })
        {
            ExternalTool.RunChecked("chown", "-R", $"{UserName}:{UserName}", dir);
        }
        string probe = Path.Combine(AppContext.BaseDirectory, "ctz-run-probe.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var args = new List<string> { "-u", UserName, "--", dotnet, probe, f.Upper, f.Work, user, lower, "/bin/sh", "-c", script };
        var result = await ProcessRunner.RunAsync("runuser", args, workingDirectory: "/tmp", environment: env);
        return (result.Output, f, lower);
    }

    [TestMethod]
    public async Task AsAnOrdinaryUserContainerRootIsTheUserAndOtherIdsComeFromTheSubordinateRange()
    {
        var (output, f, _) = await RunAsUserAsync("app", "id; echo made > /tmp/by-app; echo pid=$$");
        using (f)
        {
            StringAssert.Contains(output, "uid=1654(app) gid=1654(app) groups=1654(app)\n");
            StringAssert.Contains(output, "pid=1\nexit=0");
            var made = LibC.Statx(Path.Combine(f.Upper, "tmp/by-app"));
            Assert.AreEqual(_subUidStart + 1654 - 1, made.Uid, "container uid 1654 maps to subuid start + 1653");
            CollectionAssert.AreEqual(new[] { "tmp", "tmp/by-app" }, f.UpperEntries());
        }
    }

    [TestMethod]
    public async Task AsAnOrdinaryUserRootFilesBelongToTheUser()
    {
        var (output, f, _) = await RunAsUserAsync("", "id -u; touch /root-made; chown 42:42 /root-made && echo chown-ok; rm /bin/true");
        using (f)
        {
            StringAssert.Contains(output, "0\nchown-ok\nexit=0");
            var made = LibC.Statx(Path.Combine(f.Upper, "root-made"));
            Assert.AreEqual(_subUidStart + 41, made.Uid);
            var whiteout = LibC.Statx(Path.Combine(f.Upper, "bin/true"));
            Assert.AreEqual(UnixFileKind.CharacterDevice, whiteout.Kind);
            Assert.AreEqual((0, 0), (whiteout.RdevMajor, whiteout.RdevMinor));
            CollectionAssert.AreEqual(new[] { "bin", "bin/true", "root-made" }, f.UpperEntries());
        }
    }

    [TestMethod]
    public async Task AsAnOrdinaryUserTheCommandRunsUnderTheSystemCallFilter()
    {
        foreach (string user in new[] { "", "app" })
        {
            var (output, f, _) = await RunAsUserAsync(user, "grep '^Seccomp:' /proc/self/status; unshare -U true 2>&1 || echo unshare-refused");
            using (f)
            {
                StringAssert.Contains(output, "Seccomp:\t2\nunshare: unshare(0x10000000): Operation not permitted\nunshare-refused\nexit=0", $"user '{user}'");
            }
        }
    }

    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    [DoNotParallelize] // the inherited descriptor is open in the whole test process while it runs
    public async Task AsAnOrdinaryUserAHostileStepReachesNoHostDescriptorDeviceOrKernelSetting(bool copyFallback)
    {
        using var attack = SandboxAttack.Create();
        var (output, f, _) = await RunAsUserAsync("", attack.Script(), copyFallback: copyFallback);
        using (f)
        {
            StringAssert.Contains(output, "exit=0", output);
            attack.AssertContained(output.Replace("\nexit=0", ""), copyFallback ? "ordinary user, copy fallback" : "ordinary user, overlay");
        }
    }

    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    public async Task AsAnOrdinaryUserAStepReachesTheOutsideButNotTheBuildMachinesLoopbackServices(bool copyFallback)
    {
        using var network = new StepNetwork();
        foreach (var (mode, expected) in new[]
        {
            ((string?)null, "127.0.0.1=unreachable\n10.0.2.2=unreachable\noutside-service"),
            ("host", "loopback-service\n10.0.2.2=unreachable\noutside-service"),
            ("none", "127.0.0.1=unreachable\n10.0.2.2=unreachable\noutside=unreachable"),
        })
        {
            var (output, f, _) = await RunAsUserAsync("", network.Script(), copyFallback: copyFallback, network: mode);
            using (f) Assert.AreEqual(expected + "\nexit=0", output.Trim(), $"network {mode ?? "default"}");
        }
    }

    [TestMethod]
    public async Task WithASingleMappedIdRootWorksWithAWarningAndUserSwitchesFail()
    {
        var (output, f, _) = await RunAsUserAsync("", "id -u; echo ok > /f", withSubordinateIds: false);
        using (f)
        {
            StringAssert.Contains(output, "warning: RUN steps run with a single mapped id");
            StringAssert.Contains(output, "0\nexit=0");
            Assert.AreEqual(_uid, (uint)LibC.Statx(Path.Combine(f.Upper, "f")).Uid);
        }
        var (failed, f2, _) = await RunAsUserAsync("app", "id -u", withSubordinateIds: false);
        using (f2) StringAssert.Contains(failed, "error CTZ7000: The RUN container could not be set up: cannot switch to user app (uid 1654, gid 1654): that id is not mapped");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "overlay")]
    [DataRow(true, DisplayName = "copy fallback")]
    public async Task AsAnOrdinaryUserASymlinkPlantedAboveABindTargetDoesNotLeadTheCleanupToTheUsersFiles(bool rootDirectory)
    {
        // In the user's home, owned by the user: a cleanup that followed the link could delete it.
        string home = Path.Combine("/home", UserName);
        string canary = MountPointCleanupTests.Canary(Path.Combine(home, $"ctz-cleanup-{Guid.NewGuid():N}"));
        try
        {
            ExternalTool.RunChecked("chown", "-R", $"{UserName}:{UserName}", Path.GetDirectoryName(canary)!);
            var (output, f, lower) = await RunAsUserAsync("", MountPointCleanupTests.SwapForSymlinkScript(canary), prepare: (f, env) =>
            {
                env["CTZ_PROBE_BIND"] = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(f.Upper)!, "bind-src")).FullName + ":/a/b/c";
                if (rootDirectory) env["CTZ_PROBE_ROOT_DIRECTORY"] = "1";
            });
            using (f)
            {
                StringAssert.Contains(output, "swapped\nexit=0");
                Assert.IsTrue(Directory.Exists(Path.Combine(canary, "b", "c")), "the cleanup removed the user's folder the planted link points to");
                Assert.AreEqual(UnixFileKind.SymbolicLink, LibC.Statx(Path.Combine(rootDirectory ? lower : f.Upper, "a")).Kind);
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(canary)!, recursive: true);
        }
    }
}
