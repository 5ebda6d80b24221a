using System.Runtime.InteropServices;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The helper's seccomp filter (Docker's default profile), through the real helper, as root (the
/// test host's user); RootlessContainerTests checks it as an ordinary user.
/// </summary>
[TestCategory("Debootstrap")]
[TestClass]
public class SystemCallFilterTests
{
    [TestMethod]
    public async Task TheCommandRunsUnderAFilterAsRootAndAsTheImagesUser()
    {
        using var f = await ContainerFixture.CreateAsync();
        foreach (string user in new[] { "", "app" })
        {
            var (code, output) = await f.ShAsync("grep '^Seccomp:' /proc/self/status", s => s with { User = user });
            Assert.AreEqual(0, code, output);
            Assert.AreEqual("Seccomp:\t2", output, $"user '{user}'");
        }
    }

    [TestMethod]
    public async Task NewNamespacesAreRefusedEvenWhereTheKernelWouldAllowThem()
    {
        // Root in a step may create a user namespace as far as the kernel is concerned (no capability
        // needed); Docker's profile refuses unshare and setns, and clone with CLONE_NEW* flags.
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.ShAsync(
            "unshare -U -r true 2>&1 || echo unshare-refused; nsenter -t 1 -U true 2>&1 || echo nsenter-refused");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "unshare(0x10000000): Operation not permitted\nunshare-refused", output);
        StringAssert.Contains(output, "can't reassociate to namespace 'user': Operation not permitted\nnsenter-refused", output);
    }

    [TestMethod]
    public async Task AnOrdinaryWorkloadStillWorks()
    {
        using var f = await ContainerFixture.CreateAsync();
        var (code, output) = await f.ShAsync(
            "set -e; mkdir -p /srv/data; for i in 1 2 3; do echo line$i >> /srv/data/f; done; " +
            "chown -R 1654:1654 /srv/data; mkfifo /srv/fifo; mknod /srv/null c 1 3; ln -s f /srv/data/link; " +
            "tar -C /srv -czf /tmp/a.tgz data; mkdir /tmp/x; tar -C /tmp/x -xzf /tmp/a.tgz; sort -r /tmp/x/data/link | head -1; " +
            "(sleep 0.1; echo child) & wait; su app -c 'id -u; echo $HOME'; chroot / true && echo chroot-ok; " +
            "linux32 uname -m; date +%Y >/dev/null; echo done");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("line3\nchild\n1654\n/home/app\nchroot-ok\n" + (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "armv8l" : "i686") + "\ndone", output);
    }

    [TestMethod]
    public async Task Clone3IsNotImplementedAndKeyringsPersonalityFlagsAndVsockAreRefused()
    {
        // Raw calls from perl in a Debian rootfs: clone3 gets ENOSYS (so libc falls back to clone),
        // refused calls get EPERM, and personality's query still answers.
        using var f = await ContainerFixture.CreateAsync();
        await DebianRootfs.EnsureAsync(DebianRootfs.CachedDirectory);
        bool arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
        var (keyctl, personality, socket) = arm64 ? (219, 92, 198) : (250, 135, 41);
        string script =
            "$r = syscall(435, 0, 0); print \"clone3 $r \", $!+0, \"\\n\"; " +
            $"$r = syscall({keyctl}, 0, -3, 0); print \"keyctl $r \", $!+0, \"\\n\"; " +
            $"$r = syscall({personality}, 0x0040000); print \"personality-no-randomize $r \", $!+0, \"\\n\"; " +
            $"$r = syscall({personality}, 0xffffffff); print \"personality-query $r\\n\"; " +
            $"$r = syscall({socket}, 40, 1, 0); print \"vsock $r \", $!+0, \"\\n\"; " +
            $"$r = syscall({socket}, 1, 1, 0); print \"unix \", ($r >= 0 ? \"ok\" : $!+0), \"\\n\"; " +
            "$pid = fork(); if ($pid == 0) { exit 7 } waitpid($pid, 0); print \"fork \", $? >> 8, \"\\n\";";
        var spec = f.Spec("perl", "-e", script) with { LowerDirectoriesBottomFirst = [DebianRootfs.CachedDirectory] };
        var (code, output) = await f.RunAsync(spec);
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("clone3 -1 38\nkeyctl -1 1\npersonality-no-randomize -1 1\npersonality-query 0\nvsock -1 1\nunix ok\nfork 7", output);
    }
}
