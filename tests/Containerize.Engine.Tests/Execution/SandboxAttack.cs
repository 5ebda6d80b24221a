using System.Runtime.InteropServices;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// One hostile RUN script that tries the host-reaching tricks a step must not be able to do, and
/// what the step may print once each trick fails. Shared by the root, rootless, copy-fallback and
/// <c>containerize run</c> tests, so every way into a container faces the same attacks:
/// a descriptor the build inherited (runc's CVE-2024-21626), device nodes it makes (a loop device
/// the test attached, the kernel log), <c>/proc/sys</c> and <c>/proc/sysrq-trigger</c> writes, and the
/// masked kernel files of containerd's default spec.
/// </summary>
internal sealed class SandboxAttack : IDisposable
{
    public const string Secret = "host-secret-0451";
    public const string LoopMarker = "LOOPMARK";

    private readonly TempDirectory _canary = new("ctz-canary");
    private string? _loopDevice;
    private string? _loopBacking;

    private SandboxAttack() { }

    /// <summary>The canary folder on the host: holds <c>secret</c>; nothing may appear in it.</summary>
    public string Canary => _canary.Path;

    /// <summary>A descriptor on <see cref="Canary"/> open in this process without close-on-exec, as a build started from a shell that leaked one has.</summary>
    public int InheritedFd { get; private set; } = -1;

    public int LoopMajor { get; private set; }
    public int LoopMinor { get; private set; }

    /// <summary>Opens the canary descriptor and a loop device over a file holding <see cref="LoopMarker"/>.</summary>
    public static SandboxAttack Create()
    {
        var attack = new SandboxAttack();
        File.WriteAllText(Path.Combine(attack.Canary, "secret"), Secret);
        File.SetUnixFileMode(attack.Canary, (UnixFileMode)0b111_111_111); // a step's non-root user could write here if it reached it
        attack.InheritedFd = open(attack.Canary, 0x10000 /* O_RDONLY | O_DIRECTORY, no O_CLOEXEC */);
        if (attack.InheritedFd < 0) Assert.Fail($"open {attack.Canary}: errno {Marshal.GetLastPInvokeError()}");
        attack.AttachLoopDevice();
        return attack;
    }

    private void AttachLoopDevice()
    {
        string backing = Path.Combine(Path.GetTempPath(), $"ctz-loop-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(backing, [.. System.Text.Encoding.ASCII.GetBytes(LoopMarker), .. new byte[4096 - LoopMarker.Length]]);
        var attach = ExternalTool.Run("losetup", "--find", "--show", backing);
        string device = attach.StandardOutput.Trim();
        string numbers = $"/sys/class/block/{Path.GetFileName(device)}/dev";
        if (attach.ExitCode != 0 || device.Length == 0 || !File.Exists(numbers))
        {
            File.Delete(backing);
            Assert.Fail($"losetup could not attach a loop device for the device attacks (exit {attach.ExitCode}): {attach.Output.Trim()}. "
                + "Run the tests as root on a kernel with loop devices (modprobe loop), as .ci/run does.");
        }
        _loopDevice = device;
        _loopBacking = backing;
        string[] parts = File.ReadAllText(numbers).Trim().Split(':');
        LoopMajor = int.Parse(parts[0]);
        LoopMinor = int.Parse(parts[1]);
    }

    /// <summary>
    /// The hostile step. Each line of output names one attack and how it ended; the test asserts the
    /// safe outcome.
    /// </summary>
    public string Script() => string.Join("; ",
        $"cat /proc/self/fd/{InheritedFd}/secret 2>/dev/null && echo || echo fd-read=refused",
        $"(echo x > /proc/self/fd/{InheritedFd}/escaped) 2>/dev/null || echo fd-write=refused",
        "for f in /proc/self/fd/*; do readlink $f; done | grep -c ctz-canary | sed 's/^/fds-on-canary=/'",
        $"mknod /tmp/loop b {LoopMajor} {LoopMinor} 2>/dev/null; head -c 8 /tmp/loop 2>/dev/null && echo || echo loop-tmp=refused",
        $"mknod /dev/loop-x b {LoopMajor} {LoopMinor} 2>/dev/null; head -c 8 /dev/loop-x 2>/dev/null && echo || echo loop-dev=refused",
        "if mknod /tmp/kmsg c 1 11 2>/dev/null; then (echo ctz-kmsg > /tmp/kmsg) 2>/dev/null && echo kmsg=written || echo kmsg=refused; else echo kmsg=refused; fi",
        "cat /proc/sys/kernel/core_pattern > /tmp/cp; (cat /tmp/cp > /proc/sys/kernel/core_pattern) 2>/dev/null && echo core-pattern=written || echo core-pattern=refused",
        "(: > /proc/sysrq-trigger) 2>/dev/null && echo sysrq=writable || echo sysrq=refused",
        "for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats; do test -e $p || continue; echo \"$p=$(head -c 64 $p 2>/dev/null | wc -c)\"; done",
        "for d in /sys/firmware /proc/acpi /proc/scsi; do test -d $d || continue; echo \"$d=$(ls -A $d | wc -l)\"; done",
        "echo done");

    /// <summary>Fails unless every attack of <see cref="Script"/> failed and nothing reached the host.</summary>
    public void AssertContained(string output, string what)
    {
        string context = $"{what}:\n{output}";
        Assert.IsFalse(output.Contains(Secret, StringComparison.Ordinal), $"the step read a host file through an inherited descriptor. {context}");
        Assert.IsFalse(File.Exists(Path.Combine(Canary, "escaped")), $"the step wrote a host file through an inherited descriptor. {context}");
        StringAssert.Contains(output, "fd-read=refused\nfd-write=refused\nfds-on-canary=0\n", context);
        Assert.IsFalse(output.Contains(LoopMarker, StringComparison.Ordinal), $"the step read the host's loop device through a node it made. {context}");
        StringAssert.Contains(output, "loop-tmp=refused\nloop-dev=refused\nkmsg=refused\n", context);
        StringAssert.Contains(output, "core-pattern=refused\nsysrq=refused\n", context);
        foreach (string line in output.Split('\n').Where(l => l.StartsWith("/proc/", StringComparison.Ordinal) || l.StartsWith("/sys/", StringComparison.Ordinal)))
        {
            StringAssert.EndsWith(line, "=0", $"a masked kernel file or folder shows content. {context}");
        }
        StringAssert.Contains(output, "/proc/keys=0\n", context);
        StringAssert.Contains(output, "/sys/firmware=0\n", context);
        StringAssert.EndsWith(output.TrimEnd(), "done", context);
    }

    public void Dispose()
    {
        if (InheritedFd >= 0) close(InheritedFd);
        if (_loopDevice is not null) ExternalTool.Run("losetup", "--detach", _loopDevice);
        if (_loopBacking is not null) File.Delete(_loopBacking);
        _canary.Dispose();
    }

    [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);
    [DllImport("libc")] private static extern int close(int fd);
}
