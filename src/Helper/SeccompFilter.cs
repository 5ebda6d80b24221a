using System.Runtime.InteropServices;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// Compiles <see cref="SeccompProfile"/> into a classic BPF program for the running architecture
/// and installs it on the calling thread (execve keeps it, and every child inherits it).
///
/// The program checks the audit architecture first: a call made through another ABI (32-bit x86 or
/// x32 on x86-64, 32-bit ARM on arm64) kills the process, since the table's numbers mean nothing
/// there. It then finds the call's rule by a binary search over runs of equal rules (a few
/// comparisons per call; kernels from 5.11 on also cache the verdict of calls whose rule never
/// looks at arguments).
/// </summary>
internal static class SeccompFilter
{
    private const uint AuditArchX64 = 0xC000003E, AuditArchArm64 = 0xC00000B7;
    private const uint X32SyscallBit = 0x40000000;
    private const uint RetKillProcess = 0x80000000, RetErrno = 0x00050000, RetAllow = 0x7FFF0000;
    private const ushort LdAbsW = 0x20, JeqK = 0x15, JgeK = 0x35, JsetK = 0x45, Ja = 0x05, RetK = 0x06;
    private const uint OffsetNr = 0, OffsetArch = 4, OffsetArg0Low = 16; // struct seccomp_data, little-endian
    private const uint CloneNewNamespaces = 0x7E020000; // CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
    private const uint AfVsock = 40;
    private static readonly uint[] PersonalityValues = [0x0, 0x8 /* PER_LINUX32 */, 0x20000 /* UNAME26 */, 0x20008, 0xFFFFFFFF /* query */];
    private const int PR_SET_SECCOMP = 22, SECCOMP_MODE_FILTER = 2;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Instruction(ushort code, byte jt, byte jf, uint k)
    {
        public ushort Code = code;
        public byte Jt = jt;
        public byte Jf = jf;
        public uint K = k;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Program
    {
        public ushort Length;
        public Instruction* Filter;
    }

    /// <summary>
    /// Installs the filter. Without no_new_privs (see <see cref="ContainerSetup"/>) this needs
    /// CAP_SYS_ADMIN in the user namespace, so it runs before the switch to the step's user.
    /// </summary>
    /// <returns>False when the kernel has no seccomp filter support (the step then runs without one, as under Docker).</returns>
    public static unsafe bool Install()
    {
        bool arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
        if (!arm64 && RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new HelperException(HelperException.Setup, $"no system call filter for {RuntimeInformation.ProcessArchitecture}: RUN steps need x86-64 or arm64");
        }
        Instruction[] program = Compile(arm64);
        fixed (Instruction* p = program)
        {
            var prog = new Program { Length = (ushort)program.Length, Filter = p };
            if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (nint)(&prog), 0, 0) == 0) return true;
        }
        int errno = Errno;
        if (errno == EINVAL) return false; // CONFIG_SECCOMP_FILTER is off
        throw HelperException.FromErrno("install the system call filter", errno, HelperException.Setup);
    }

    internal static Instruction[] Compile(bool arm64)
    {
        var known = new HashSet<string>(SyscallNumbers.All.Select(s => s.Name), StringComparer.Ordinal);
        string[] unknown = SeccompProfile.UnknownNames(known).ToArray();
        if (unknown.Length > 0) throw new InvalidOperationException($"the seccomp profile names unknown system calls: {string.Join(", ", unknown)}");

        var rules = new Dictionary<uint, SyscallRule>();
        foreach (var (name, x64, a64) in SyscallNumbers.All)
        {
            int nr = arm64 ? a64 : x64;
            if (nr >= 0) rules[(uint)nr] = SeccompProfile.RuleFor(name);
        }
        var runs = Runs(rules);

        var code = new List<Instruction>
        {
            new(LdAbsW, 0, 0, OffsetArch),
            new(JeqK, 1, 0, arm64 ? AuditArchArm64 : AuditArchX64),
            new(RetK, 0, 0, RetKillProcess),
            new(LdAbsW, 0, 0, OffsetNr),
        };
        if (!arm64)
        {
            // x32 calls carry bit 30; -1 (a call a tracer skipped) is not one of them.
            code.Add(new(JgeK, 0, 2, X32SyscallBit));
            code.Add(new(JeqK, 1, 0, uint.MaxValue));
            code.Add(new(RetK, 0, 0, RetKillProcess));
        }
        code.AddRange(Search(runs, 0, runs.Count - 1));
        if (code.Count > 4096) throw new InvalidOperationException($"the seccomp program has {code.Count} instructions, more than the kernel takes");
        return code.ToArray();
    }

    /// <summary>Consecutive numbers with the same rule, from 0 up; numbers no call has get ENOSYS, and so does everything above the last one.</summary>
    private static List<(uint Start, SyscallRule Rule)> Runs(Dictionary<uint, SyscallRule> rules)
    {
        var runs = new List<(uint Start, SyscallRule Rule)>();
        uint last = rules.Keys.Max();
        for (uint nr = 0; nr <= last + 1; nr++)
        {
            var rule = rules.TryGetValue(nr, out var r) ? r : SyscallRule.NotImplemented;
            if (runs.Count == 0 || runs[^1].Rule != rule) runs.Add((nr, rule));
        }
        return runs;
    }

    /// <summary>The code deciding runs[low..high], given the call number in the accumulator.</summary>
    private static List<Instruction> Search(List<(uint Start, SyscallRule Rule)> runs, int low, int high)
    {
        if (low == high) return Leaf(runs[low].Rule);
        int middle = (low + high + 1) / 2;
        var below = Search(runs, low, middle - 1);
        var above = Search(runs, middle, high);
        var code = new List<Instruction>(below.Count + above.Count + 2);
        if (below.Count <= byte.MaxValue)
        {
            code.Add(new(JgeK, (byte)below.Count, 0, runs[middle].Start));
        }
        else
        {
            // A conditional jump reaches 255 instructions at most: jump over "below" unconditionally.
            code.Add(new(JgeK, 0, 1, runs[middle].Start));
            code.Add(new(Ja, 0, 0, (uint)below.Count));
        }
        code.AddRange(below);
        code.AddRange(above);
        return code;
    }

    private static List<Instruction> Leaf(SyscallRule rule)
    {
        var deny = new Instruction(RetK, 0, 0, RetErrno | EPERM);
        var allow = new Instruction(RetK, 0, 0, RetAllow);
        switch (rule)
        {
            case SyscallRule.Allow: return [allow];
            case SyscallRule.Deny: return [deny];
            case SyscallRule.NotImplemented: return [new(RetK, 0, 0, RetErrno | ENOSYS)];
            // The kernel reads only the low 32 bits of these arguments (clone's flags are truncated,
            // socket's family and personality's value are ints), so the low word decides.
            case SyscallRule.CloneWithoutNewNamespaces: return [new(LdAbsW, 0, 0, OffsetArg0Low), new(JsetK, 0, 1, CloneNewNamespaces), deny, allow];
            case SyscallRule.SocketExceptVsock: return [new(LdAbsW, 0, 0, OffsetArg0Low), new(JeqK, 0, 1, AfVsock), deny, allow];
            case SyscallRule.PersonalityQueryOrLinux:
                var code = new List<Instruction> { new(LdAbsW, 0, 0, OffsetArg0Low) };
                for (int i = 0; i < PersonalityValues.Length; i++)
                {
                    code.Add(new(JeqK, (byte)(PersonalityValues.Length - i), 0, PersonalityValues[i]));
                }
                code.Add(deny);
                code.Add(allow);
                return code;
            default: throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    }
}
