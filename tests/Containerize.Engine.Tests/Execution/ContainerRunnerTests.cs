using System.Diagnostics;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Tests.Execution;

/// <summary>Real namespaces, a real busybox rootfs, the real helper: as root (the test host's user).</summary>
[TestCategory("Namespaces")]
[TestClass]
public class ContainerRunnerTests
{
    [TestMethod]
    public async Task EchoPrintsItsArgumentsAndExitsZero()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.RunAsync(f.Spec("echo", "hello", "world"));
        Assert.AreEqual(0, code);
        Assert.AreEqual("hello world", output);
    }

    [TestMethod]
    public async Task TheCommandsExitCodeIsTheResult()
    {
        using var f = await ContainerFixture.CreateAsync();
        Assert.AreEqual(3, (await f.ShAsync("exit 3")).ExitCode);
        Assert.AreEqual(1, (await f.RunAsync(f.Spec("false"))).ExitCode);
        Assert.AreEqual(127, (await f.ShAsync("no-such-command")).ExitCode);
    }

    [TestMethod]
    public async Task TheEnvironmentIsTheGivenOnePlusHomeAsRuncSetsIt()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.RunAsync(f.Spec("env") with { Environment = ["PATH=/bin", "A=1", "B=two words", "EMPTY="] });
        Assert.AreEqual(0, code, output);
        CollectionAssert.AreEquivalent(new[] { "PATH=/bin", "A=1", "B=two words", "EMPTY=", "HOME=/root" }, output.Split('\n'), "HOME from root's passwd entry");

        var (_, asApp) = await f.RunAsync(f.Spec("env") with { Environment = ["PATH=/bin"], User = "app" });
        CollectionAssert.Contains(asApp.Split('\n'), "HOME=/home/app");
        var (_, numeric) = await f.RunAsync(f.Spec("env") with { Environment = ["PATH=/bin"], User = "4242" });
        CollectionAssert.Contains(numeric.Split('\n'), "HOME=/", "a user without a passwd entry gets /");
        var (_, given) = await f.RunAsync(f.Spec("env") with { Environment = ["PATH=/bin", "HOME=/custom"] });
        CollectionAssert.DoesNotContain(given.Split('\n'), "HOME=/root", "a HOME the image sets wins");
    }

    [TestMethod]
    public async Task Argv0IsLookedUpInTheGivenPath()
    {
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            Directory.CreateDirectory(Path.Combine(d, "opt/tools"));
            File.WriteAllText(Path.Combine(d, "opt/tools/greet"), "#!/bin/sh\necho greet from $0\n");
            File.SetUnixFileMode(Path.Combine(d, "opt/tools/greet"), (UnixFileMode)0b111_101_101);
        });
        var (code, output) = await f.RunAsync(f.Spec("greet") with { Environment = ["PATH=/nowhere:/opt/tools:/bin"] });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("greet from /opt/tools/greet", output);

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => f.RunAsync(f.Spec("greet") with { Environment = ["PATH=/bin"] }));
        Assert.AreEqual(ErrorCodes.ContainerCommandNotFound, e.Code);
        StringAssert.Contains(e.Message, "\"greet\": executable file not found in $PATH");
    }

    [TestMethod]
    [DataRow("", "uid=0(root) gid=0(root) groups=0(root)")]
    [DataRow("app", "uid=1654(app) gid=1654(app) groups=1654(app)")]
    [DataRow("1654", "uid=1654(app) gid=1654(app) groups=1654(app)")]
    [DataRow("2000", "uid=2000 gid=0(root) groups=0(root)")]
    [DataRow("app:root", "uid=1654(app) gid=0(root) groups=0(root)")]
    [DataRow("1654:3000", "uid=1654(app) gid=3000 groups=3000")]
    [DataRow("root:app", "uid=0(root) gid=1654(app) groups=1654(app)")]
    public async Task UserIsResolvedFromTheImagesPasswdAndGroup(string user, string expected)
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.RunAsync(f.Spec("id") with { User = user });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual(expected, output);
    }

    [TestMethod]
    public async Task SupplementaryGroupsComeFromGroupMembership()
    {
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            Directory.CreateDirectory(Path.Combine(d, "etc"));
            File.Copy(Path.Combine(f.BaseLayer, "etc/passwd"), Path.Combine(d, "etc/passwd"));
            File.WriteAllText(Path.Combine(d, "etc/group"), "root:x:0:\napp:x:1654:\nstaff:x:50:root,app\naudio:x:29:app\n");
        });
        var (code, output) = await f.RunAsync(f.Spec("id", "-G") with { User = "app" });
        Assert.AreEqual(0, code, output);
        CollectionAssert.AreEquivalent(new[] { "1654", "50", "29" }, output.Split(' '));
    }

    [TestMethod]
    [DataRow("nosuchuser", "unable to find user nosuchuser")]
    [DataRow("app:nosuchgroup", "unable to find group nosuchgroup")]
    public async Task AnUnknownUserIsASetupErrorNotAnExitCode(string user, string message)
    {
        using var f = await ContainerFixture.CreateAsync();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => f.RunAsync(f.Spec("id") with { User = user }));
        Assert.AreEqual(ErrorCodes.ContainerUserNotFound, e.Code);
        StringAssert.Contains(e.Message, message);
        Assert.AreEqual(0, f.UpperEntries().Length, string.Join(", ", f.UpperEntries()));
    }

    [TestMethod]
    public async Task AMissingWorkingDirectoryIsCreatedAndKept()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.RunAsync(f.Spec("pwd") with { WorkingDirectory = "/srv/app/deep", User = "app" });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("/srv/app/deep", output);
        var meta = LibC.Statx(Path.Combine(f.Upper, "srv/app/deep"));
        Assert.AreEqual(UnixFileKind.Directory, meta.Kind);
        Assert.AreEqual(1654, meta.Uid);
        CollectionAssert.AreEqual(new[] { "srv", "srv/app", "srv/app/deep" }, f.UpperEntries());
    }

    [TestMethod]
    public async Task HostnameAndPidOneAndDevices()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.ShAsync(
            "hostname; echo pid=$$; echo x > /dev/null && echo null-ok; head -c 4 /dev/zero | od -An -tx1; " +
            "test -c /dev/urandom && echo urandom; test -d /dev/pts && test -d /dev/shm && echo pts-shm; readlink /dev/fd; " +
            "ls /proc/self/ns >/dev/null && echo proc; test -d /sys/class && echo sys; touch /sys/x 2>/dev/null || echo sys-ro",
            s => s with { Hostname = "step-7" });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("step-7\npid=1\nnull-ok\n 00 00 00 00\nurandom\npts-shm\n/proc/self/fd\nproc\nsys\nsys-ro", output);
    }

    [TestMethod]
    public async Task TheHostsResolvConfAndHostsAreMountedReadOnly()
    {
        using var f = await ContainerFixture.CreateAsync();
        const string Script = "cat /etc/resolv.conf; echo ---; cat /etc/hosts; (echo x >> /etc/hosts) 2>/dev/null || echo read-only; (echo x >> /etc/resolv.conf) 2>/dev/null || echo read-only";
        string hosts = File.ReadAllText("/etc/hosts").TrimEnd('\n');

        var (code, output) = await f.ShAsync(Script, s => s with { Network = ContainerNetwork.Host });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual(File.ReadAllText("/etc/resolv.conf").TrimEnd('\n') + "\n---\n" + hosts + "\nread-only\nread-only", output, "on the host's network, the host's name servers");

        (code, output) = await f.ShAsync(Script);
        Assert.AreEqual(0, code, output);
        string searchAndOptions = string.Concat(File.ReadAllLines("/etc/resolv.conf").Select(l => l.Trim())
            .Where(l => l.StartsWith("search", StringComparison.Ordinal) || l.StartsWith("domain", StringComparison.Ordinal) || l.StartsWith("options", StringComparison.Ordinal))
            .Select(l => l + "\n"));
        Assert.AreEqual("nameserver 10.0.2.3\n" + searchAndOptions + "---\n" + hosts + "\nread-only\nread-only", output, "on its own network, the user-mode stack's forwarder");
    }

    [TestMethod]
    public async Task CreatedChangedAndDeletedFilesLandInTheUpperDirectory()
    {
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            Directory.CreateDirectory(Path.Combine(d, "data"));
            File.WriteAllText(Path.Combine(d, "data/keep"), "keep\n");
            File.WriteAllText(Path.Combine(d, "data/change"), "before\n");
            File.WriteAllText(Path.Combine(d, "data/remove"), "gone soon\n");
        });
        var (code, output) = await f.ShAsync("echo new > /data/new && echo after > /data/change && rm /data/remove && cat /data/keep");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("keep", output);
        CollectionAssert.AreEqual(new[] { "data", "data/change", "data/new", "data/remove" }, f.UpperEntries());
        Assert.AreEqual("new\n", File.ReadAllText(Path.Combine(f.Upper, "data/new")));
        Assert.AreEqual("after\n", File.ReadAllText(Path.Combine(f.Upper, "data/change")));
        var whiteout = LibC.Statx(Path.Combine(f.Upper, "data/remove"));
        Assert.AreEqual(UnixFileKind.CharacterDevice, whiteout.Kind);
        Assert.AreEqual((0, 0), (whiteout.RdevMajor, whiteout.RdevMinor));
    }

    [TestMethod]
    public async Task TheHelpersMountPointsDoNotLandInTheUpperDirectory()
    {
        using var f = await ContainerFixture.CreateAsync();
        string hostDir = Path.Combine(f.Work, "..", "bind-src");
        Directory.CreateDirectory(hostDir);
        File.WriteAllText(Path.Combine(hostDir, "file"), "from host\n");
        var (code, output) = await f.ShAsync("cat /mnt/in/deep/file; test -d /proc/1 && test -d /sys/class && test -e /etc/hosts && echo ok; echo t > /scratch/x",
            s => s with { Mounts = [ContainerMount.Bind(hostDir, "/mnt/in/deep"), ContainerMount.Tmpfs("/scratch")] });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("from host\nok", output);
        Assert.AreEqual(0, f.UpperEntries().Length, string.Join(", ", f.UpperEntries()));
    }

    [TestMethod]
    public async Task ARootfsWithMountPointsAlreadyInPlaceKeepsThem()
    {
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            foreach (string dir in new[] { "proc", "dev", "sys" }) Directory.CreateDirectory(Path.Combine(d, dir));
            File.WriteAllText(Path.Combine(d, "etc_hosts_marker"), "");
        });
        var (code, output) = await f.ShAsync("mkdir /etc/extra && echo changed > /etc/extra/f");
        Assert.AreEqual(0, code, output);
        CollectionAssert.AreEqual(new[] { "etc", "etc/extra", "etc/extra/f" }, f.UpperEntries());
    }

    [TestMethod]
    public async Task ABindMountIsReadOnlyUnlessAskedOtherwise()
    {
        using var f = await ContainerFixture.CreateAsync();
        string hostDir = Path.Combine(f.Work, "..", "rw-src");
        Directory.CreateDirectory(hostDir);
        var (code, output) = await f.ShAsync("touch /ro/x 2>/dev/null || echo ro-refused; echo w > /rw/y && echo rw-ok",
            s => s with { Mounts = [ContainerMount.Bind(hostDir, "/ro"), ContainerMount.Bind(hostDir, "/rw", readOnly: false)] });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("ro-refused\nrw-ok", output);
        Assert.AreEqual("w\n", File.ReadAllText(Path.Combine(hostDir, "y")));
    }

    [TestMethod]
    public async Task OutputIsStreamedLineByLineWhileTheCommandRuns()
    {
        using var f = await ContainerFixture.CreateAsync();
        var clock = Stopwatch.StartNew();
        var arrivals = new List<(string Line, TimeSpan At)>();
        int code = await new ContainerRunner().RunAsync(ContainerFixture.Shell(f.Spec(), "echo first; echo err >&2; sleep 2; echo second"),
            l => arrivals.Add((l, clock.Elapsed)), CancellationToken.None);
        TimeSpan end = clock.Elapsed;
        Assert.AreEqual(0, code);
        CollectionAssert.AreEquivalent(new[] { "first", "err", "second" }, arrivals.Select(a => a.Line).ToArray());
        var first = arrivals.Single(a => a.Line == "first");
        Assert.IsTrue(end - first.At > TimeSpan.FromSeconds(1.5), $"'first' arrived at {first.At}, the run ended at {end}");
    }

    [TestMethod]
    public async Task NetworkNoneHasOnlyLoopbackAndItIsUp()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.ShAsync("ls /sys/class/net; ip -o link | grep -c UP", s => s with { Network = ContainerNetwork.None });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("lo\n1", output);

        var (_, host) = await f.ShAsync("ls /sys/class/net", s => s with { Network = ContainerNetwork.Host });
        CollectionAssert.AreEquivalent(Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).ToArray(), host.Split('\n'));

        var (_, own) = await f.ShAsync("ls /sys/class/net");
        Assert.AreEqual("lo\ntap0", own, "by default a namespace of its own: loopback and the user-mode stack's device");
    }

    [TestMethod]
    public async Task ACommandCanNotEscapeThroughSymlinkedMountPoints()
    {
        using var f = await ContainerFixture.CreateAsync();
        string outside = Path.Combine(f.Work, "..", "outside");
        Directory.CreateDirectory(outside);
        f.AddLayer(d =>
        {
            Directory.CreateDirectory(Path.Combine(d, "etc"));
            File.CreateSymbolicLink(Path.Combine(d, "etc/hosts"), Path.GetFullPath(outside) + "/hosts");
        });
        var (code, output) = await f.ShAsync("cat /etc/hosts >/dev/null && echo ok");
        Assert.AreEqual(0, code, output);
        Assert.IsFalse(File.Exists(Path.Combine(outside, "hosts")), "the mount point was created outside the root");
        Assert.AreEqual(0, f.UpperEntries().Length, string.Join(", ", f.UpperEntries()));
    }
}
