namespace Containerize.Helper;

/// <summary>
/// containerd's default container spec for the kernel files a container must not read or change:
/// masked paths read as empty (a file gets /dev/null bound over it, a folder an empty read-only
/// tmpfs), read-only paths are bound onto themselves read-only. Without them a root step could
/// write <c>/proc/sys/kernel/core_pattern</c> (a program the host kernel runs as root) and read
/// the host's keys, timers and firmware tables.
/// </summary>
internal static class KernelFileMasks
{
    public static readonly string[] Masked =
    [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
        "/sys/devices/virtual/powercap", "/sys/firmware",
    ];

    public static readonly string[] ReadOnly = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];
}
