using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>The capabilities a step keeps.</summary>
internal static class StepCapabilities
{
    /// <summary>
    /// Docker's default capabilities (CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID,
    /// SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE): everything else
    /// leaves the bounding set, and the inheritable and ambient sets are emptied, so a step running
    /// as root gets no more than under Docker or BuildKit (no mount, no module loading, no raw device
    /// or kernel tuning).
    /// </summary>
    public static void LimitToDockersDefaultSet()
    {
        int[] kept = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31];
        int last = int.TryParse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), out int value) ? value : 40;
        for (int capability = 0; capability <= last; capability++)
        {
            if (kept.Contains(capability)) continue;
            if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0) throw HelperException.FromErrno($"drop capability {capability} from the bounding set", Errno);
        }
        // No inheritable or ambient capabilities, as Docker since CVE-2022-24769: a file with
        // inheritable file capabilities must not gain through exec what the bounding set allows.
        if (ClearInheritableCapabilities() != 0) throw HelperException.FromErrno("clear the inheritable capabilities", Errno);
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); // EINVAL before Linux 4.3, which has no ambient set
    }
}
