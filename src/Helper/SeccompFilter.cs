using System.Runtime.InteropServices;
using Containerize.HelperProtocol;
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
            throw new HelperException(HelperFailureCodes.SetupFailed, $"no system call filter for {RuntimeInformation.ProcessArchitecture}: RUN steps need x86-64 or arm64");
        }
        Instruction[] program = Compile(arm64);
        fixed (Instruction* p = program)
        {
            var prog = new Program { Length = (ushort)program.Length, Filter = p };
            if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (nint)(&prog), 0, 0) == 0) return true;
        }
        int errno = Errno;
        if (errno == EINVAL) return false; // CONFIG_SECCOMP_FILTER is off
        throw HelperException.FromErrno("install the system call filter", errno, HelperFailureCodes.SetupFailed);
    }

    internal static Instruction[] Compile(bool arm64)
    {
        // Plain arrays and loops only: the helper is JIT-compiled at every step, and generic
        // collections over the value types here would each cost a compilation (tens of ms in all).
        SyscallRule[] rules = SeccompProfile.Rules(arm64);
        var starts = new uint[rules.Length];
        var runRules = new SyscallRule[rules.Length];
        int runs = 0;
        for (int nr = 0; nr < rules.Length; nr++)
        {
            if (runs > 0 && runRules[runs - 1] == rules[nr]) continue;
            starts[runs] = (uint)nr;
            runRules[runs++] = rules[nr];
        }
        // The last run (numbers no call has, up to NumberLimit) extends to every number above.

        var emitter = new Emitter(starts, runRules);
        emitter.Add(new(LdAbsW, 0, 0, OffsetArch));
        emitter.Add(new(JeqK, 1, 0, arm64 ? AuditArchArm64 : AuditArchX64));
        emitter.Add(new(RetK, 0, 0, RetKillProcess));
        emitter.Add(new(LdAbsW, 0, 0, OffsetNr));
        if (!arm64)
        {
            // x32 calls carry bit 30; -1 (a call a tracer skipped) is not one of them.
            emitter.Add(new(JgeK, 0, 2, X32SyscallBit));
            emitter.Add(new(JeqK, 1, 0, uint.MaxValue));
            emitter.Add(new(RetK, 0, 0, RetKillProcess));
        }
        emitter.Search(0, runs - 1);
        return emitter.ToArray();
    }

    /// <summary>Writes the program: a binary search over the runs of equal rules, a leaf per run.</summary>
    private sealed class Emitter(uint[] starts, SyscallRule[] rules)
    {
        private const int MaxInstructions = 4096; // BPF_MAXINSNS
        private readonly Instruction[] _code = new Instruction[MaxInstructions];
        private int _count;

        public void Add(Instruction instruction)
        {
            if (_count == MaxInstructions) throw new InvalidOperationException("the seccomp program is longer than the kernel takes");
            _code[_count++] = instruction;
        }

        public Instruction[] ToArray()
        {
            var program = new Instruction[_count];
            Array.Copy(_code, program, _count);
            return program;
        }

        /// <summary>The code deciding runs[low..high], given the call number in the accumulator.</summary>
        public void Search(int low, int high)
        {
            if (low == high)
            {
                Leaf(rules[low]);
                return;
            }
            int middle = (low + high + 1) / 2;
            int below = Size(low, middle - 1);
            if (below <= byte.MaxValue)
            {
                Add(new(JgeK, (byte)below, 0, starts[middle]));
            }
            else
            {
                // A conditional jump reaches 255 instructions at most: jump over "below" unconditionally.
                Add(new(JgeK, 0, 1, starts[middle]));
                Add(new(Ja, 0, 0, (uint)below));
            }
            Search(low, middle - 1);
            Search(middle, high);
        }

        private int Size(int low, int high)
        {
            if (low == high) return LeafSize(rules[low]);
            int middle = (low + high + 1) / 2;
            int below = Size(low, middle - 1);
            return (below <= byte.MaxValue ? 1 : 2) + below + Size(middle, high);
        }

        private static int LeafSize(SyscallRule rule) => rule switch
        {
            SyscallRule.CloneWithoutNewNamespaces or SyscallRule.SocketExceptVsock => 4,
            SyscallRule.PersonalityQueryOrLinux => PersonalityValues.Length + 3,
            _ => 1,
        };

        private void Leaf(SyscallRule rule)
        {
            var deny = new Instruction(RetK, 0, 0, RetErrno | EPERM);
            var allow = new Instruction(RetK, 0, 0, RetAllow);
            switch (rule)
            {
                case SyscallRule.Allow: Add(allow); break;
                case SyscallRule.Deny: Add(deny); break;
                case SyscallRule.NotImplemented: Add(new(RetK, 0, 0, RetErrno | ENOSYS)); break;
                // The kernel reads only the low 32 bits of these arguments (clone's flags are
                // truncated, socket's family and personality's value are ints): the low word decides.
                case SyscallRule.CloneWithoutNewNamespaces:
                    Add(new(LdAbsW, 0, 0, OffsetArg0Low));
                    Add(new(JsetK, 0, 1, CloneNewNamespaces));
                    Add(deny);
                    Add(allow);
                    break;
                case SyscallRule.SocketExceptVsock:
                    Add(new(LdAbsW, 0, 0, OffsetArg0Low));
                    Add(new(JeqK, 0, 1, AfVsock));
                    Add(deny);
                    Add(allow);
                    break;
                case SyscallRule.PersonalityQueryOrLinux:
                    Add(new(LdAbsW, 0, 0, OffsetArg0Low));
                    for (int i = 0; i < PersonalityValues.Length; i++)
                    {
                        Add(new(JeqK, (byte)(PersonalityValues.Length - i), 0, PersonalityValues[i]));
                    }
                    Add(deny);
                    Add(allow);
                    break;
                default: throw new InvalidOperationException($"no code for the rule {rule}");
            }
        }
    }
}
