namespace Containerize.Helper;

/// <summary>What the system call filter does with one system call.</summary>
internal enum SyscallRule
{
    /// <summary>Refused with EPERM: every call the table knows and the profile does not allow.</summary>
    Deny,
    Allow,

    /// <summary>Refused with ENOSYS, so callers fall back to an older call (libc does for clone3).</summary>
    NotImplemented,

    /// <summary>clone: allowed unless its flags ask for a new namespace.</summary>
    CloneWithoutNewNamespaces,

    /// <summary>socket: allowed for every address family but AF_VSOCK (the host's hypervisor sockets).</summary>
    SocketExceptVsock,

    /// <summary>personality: only the values Docker allows (Linux, 32-bit Linux, UNAME26, both, and the query).</summary>
    PersonalityQueryOrLinux,
}

/// <summary>
/// The system calls a RUN step (and <c>containerize run</c>) may make: Docker's default seccomp
/// profile as it applies to a container with Docker's default capabilities (the ones the helper
/// keeps in the bounding set), so a Dockerfile behaves here as under Docker or BuildKit.
///
/// An allow-list, as Docker's: a call not named here is refused with EPERM, so a call added to the
/// kernel later is refused until someone decides otherwise (a deny-list would let through every new
/// way to mount, trace or load code). Numbers the table does not know at all (newer kernels) get
/// ENOSYS rather than EPERM, as runc answers calls newer than its profile, so libc and tools take
/// their fallback path instead of failing.
///
/// Refused, as by Docker without CAP_SYS_ADMIN and friends: mounting and the new mount API (mount,
/// umount2, pivot_root, fsopen, fsconfig, fsmount, fspick, move_mount, open_tree, open_tree_attr,
/// mount_setattr, statmount, listmount), new namespaces (unshare, setns, clone with CLONE_NEW*),
/// kernel keyrings (keyctl, add_key, request_key), code in the kernel (bpf, init_module,
/// finit_module, delete_module, kexec_load, kexec_file_load), tracing and other processes' memory
/// beyond ptrace (perf_event_open, kcmp, pidfd_getfd, process_madvise), userfaultfd,
/// open_by_handle_at, io_uring (removed from Docker's profile in 25.0: its operations bypass
/// seccomp), the clock (settimeofday, clock_settime), reboot, swapon/swapoff, acct, quotactl,
/// syslog, sethostname, NUMA policy (mbind, set_mempolicy, ...), iopl/ioperm, vhangup, lsm_*,
/// listns, and obsolete calls (uselib, ustat, sysfs, _sysctl, ...).
///
/// Allowed as by Docker: ptrace and process_vm_readv/writev, which Docker allows on kernels from
/// 4.8 on (where a tracer can no longer bypass the tracee's filter), so strace and debuggers work in
/// a step; without CAP_SYS_PTRACE they reach only the step's own processes.
/// </summary>
internal static class SeccompProfile
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        // Files and directories.
        "access", "chdir", "chmod", "chown", "close", "close_range", "copy_file_range", "creat", "dup", "dup2", "dup3",
        "faccessat", "faccessat2", "fadvise64", "fallocate", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchownat",
        "fcntl", "fdatasync", "flock", "fstat", "fstatfs", "fsync", "ftruncate", "futimesat", "getcwd", "getdents", "getdents64",
        "lchown", "link", "linkat", "lseek", "lstat", "mkdir", "mkdirat", "mknod", "mknodat", "name_to_handle_at", "newfstatat",
        "open", "openat", "openat2", "pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readahead",
        "readlink", "readlinkat", "readv", "rename", "renameat", "renameat2", "rmdir", "sendfile", "splice", "stat", "statfs",
        "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "tee", "truncate", "umask", "unlink", "unlinkat",
        "utime", "utimensat", "utimes", "vmsplice", "write", "writev", "cachestat", "file_getattr", "file_setattr",
        "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "getxattr", "lgetxattr", "listxattr", "llistxattr",
        "lremovexattr", "lsetxattr", "removexattr", "setxattr", "getxattrat", "listxattrat", "removexattrat", "setxattrat",
        "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "fanotify_mark", "ioctl",
        "io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_setup", "io_submit", "ioprio_get", "ioprio_set",
        // chroot: CAP_SYS_CHROOT is in Docker's default set.
        "chroot",

        // Processes, threads, signals, credentials.
        "execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4", "waitid", "kill", "tkill", "tgkill",
        "pidfd_open", "pidfd_send_signal", "process_mrelease", "ptrace", "process_vm_readv", "process_vm_writev",
        "getpid", "getppid", "gettid", "getpgid", "getpgrp", "getsid", "setpgid", "setsid",
        "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups",
        "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid", "setgroups",
        "capget", "capset", "prctl", "seccomp", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
        "getpriority", "setpriority", "getrlimit", "setrlimit", "prlimit64", "getrusage", "times",
        "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr", "sched_getparam", "sched_setparam",
        "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min",
        "sched_rr_get_interval", "sched_yield", "getcpu", "rseq", "set_tid_address", "set_robust_list", "get_robust_list",
        "restart_syscall", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
        "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4", "pause",

        // Memory.
        "brk", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mlock", "mlock2", "mlockall", "mmap",
        "mprotect", "mremap", "msync", "munlock", "munlockall", "munmap", "remap_file_pages", "pkey_alloc", "pkey_free",
        "pkey_mprotect", "map_shadow_stack", "mseal",

        // Time (reading it; setting the clock is refused, it is not namespaced).
        "alarm", "adjtimex", "clock_adjtime", "clock_getres", "clock_gettime", "clock_nanosleep", "gettimeofday", "time",
        "getitimer", "setitimer", "nanosleep", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
        "timer_settime", "timerfd_create", "timerfd_gettime", "timerfd_settime",

        // Waiting, events, IPC.
        "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
        "epoll_wait_old", "eventfd", "eventfd2", "futex", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue",
        "pipe", "pipe2", "poll", "ppoll", "select", "pselect6",
        "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedsend", "mq_unlink",
        "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop", "shmat", "shmctl", "shmdt", "shmget",

        // Sockets (socket itself is checked: see SyscallRule.SocketExceptVsock).
        "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt", "listen", "recvfrom", "recvmmsg",
        "recvmsg", "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socketpair",

        // The machine, read-only.
        "getrandom", "sysinfo", "uname",

        // x86-64 only: thread-local storage and the LDT (Wine, old runtimes); uretprobe is the kernel's own trampoline.
        "arch_prctl", "modify_ldt", "get_thread_area", "set_thread_area", "uretprobe",
    };

    public static SyscallRule RuleFor(string name) => name switch
    {
        "clone" => SyscallRule.CloneWithoutNewNamespaces,
        // clone3 passes its flags in memory, which a seccomp filter cannot read: ENOSYS makes glibc
        // (2.34+) fall back to clone, whose flags the filter checks. Docker does the same.
        "clone3" => SyscallRule.NotImplemented,
        "socket" => SyscallRule.SocketExceptVsock,
        "personality" => SyscallRule.PersonalityQueryOrLinux,
        _ => Allowed.Contains(name) ? SyscallRule.Allow : SyscallRule.Deny,
    };

    /// <summary>Names in the allow-list the syscall table does not know: a typo, caught by the filter's construction.</summary>
    public static IEnumerable<string> UnknownNames(ISet<string> known) => Allowed.Where(n => !known.Contains(n));
}
