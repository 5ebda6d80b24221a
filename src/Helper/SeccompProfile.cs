namespace Containerize.Helper;

/// <summary>What the system call filter does with one system call.</summary>
internal enum SyscallRule
{
    /// <summary>Refused with ENOSYS, so callers fall back to an older call: clone3, and numbers no call had up to the table's kernel.</summary>
    NotImplemented,

    /// <summary>Refused with EPERM, as Docker refuses what its profile does not allow.</summary>
    Deny,
    Allow,

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
/// An allow-list, as Docker's: every call the kernel had up to Linux 6.18 is in the table below with
/// its number on x86-64 and arm64 (-1: not there; from the kernel's uapi headers) and its verdict,
/// so a call added to the kernel later is refused until someone decides otherwise (a deny-list would
/// let through every new way to mount, trace or load code). Numbers the table does not know (newer
/// kernels) get ENOSYS rather than EPERM, as runc answers calls newer than its profile, so libc and
/// tools take their fallback path instead of failing.
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
    /// <summary>Call numbers are below this on both architectures (x86-64 x32 calls are handled apart).</summary>
    public const int NumberLimit = 512;

    /// <summary>The rule for each call number below <see cref="NumberLimit"/> on x86-64 or arm64; numbers no call has get <see cref="SyscallRule.NotImplemented"/>.</summary>
    public static SyscallRule[] Rules(bool arm64)
    {
        var rules = new SyscallRule[NumberLimit]; // all NotImplemented
        foreach (string line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int number = int.Parse(arm64 ? fields[2] : fields[1], System.Globalization.CultureInfo.InvariantCulture);
            if (number < 0) continue;
            rules[number] = fields[3] switch
            {
                "allow" => SyscallRule.Allow,
                "deny" => SyscallRule.Deny,
                "enosys" => SyscallRule.NotImplemented,
                "clone" => SyscallRule.CloneWithoutNewNamespaces,
                "socket" => SyscallRule.SocketExceptVsock,
                "personality" => SyscallRule.PersonalityQueryOrLinux,
                _ => throw new InvalidOperationException($"unknown verdict in the seccomp profile: {line}"),
            };
        }
        return rules;
    }

    // name, x86-64 number, arm64 number, verdict. clone: allowed without CLONE_NEW* flags. clone3:
    // ENOSYS, because it passes its flags in memory, which a filter cannot read; glibc (2.34+) then
    // falls back to clone, whose flags the filter checks (Docker does the same). socket: any family
    // but AF_VSOCK. personality: 0, PER_LINUX32, UNAME26, both, and the 0xffffffff query only.
    // chroot is allowed because CAP_SYS_CHROOT is in Docker's default set.
    private const string Table = """
        read                       0   63  allow
        write                      1   64  allow
        open                       2   -1  allow
        close                      3   57  allow
        stat                       4   -1  allow
        fstat                      5   80  allow
        lstat                      6   -1  allow
        poll                       7   -1  allow
        lseek                      8   62  allow
        mmap                       9  222  allow
        mprotect                  10  226  allow
        munmap                    11  215  allow
        brk                       12  214  allow
        rt_sigaction              13  134  allow
        rt_sigprocmask            14  135  allow
        rt_sigreturn              15  139  allow
        ioctl                     16   29  allow
        pread64                   17   67  allow
        pwrite64                  18   68  allow
        readv                     19   65  allow
        writev                    20   66  allow
        access                    21   -1  allow
        pipe                      22   -1  allow
        select                    23   -1  allow
        sched_yield               24  124  allow
        mremap                    25  216  allow
        msync                     26  227  allow
        mincore                   27  232  allow
        madvise                   28  233  allow
        shmget                    29  194  allow
        shmat                     30  196  allow
        shmctl                    31  195  allow
        dup                       32   23  allow
        dup2                      33   -1  allow
        pause                     34   -1  allow
        nanosleep                 35  101  allow
        getitimer                 36  102  allow
        alarm                     37   -1  allow
        setitimer                 38  103  allow
        getpid                    39  172  allow
        sendfile                  40   71  allow
        socket                    41  198  socket
        connect                   42  203  allow
        accept                    43  202  allow
        sendto                    44  206  allow
        recvfrom                  45  207  allow
        sendmsg                   46  211  allow
        recvmsg                   47  212  allow
        shutdown                  48  210  allow
        bind                      49  200  allow
        listen                    50  201  allow
        getsockname               51  204  allow
        getpeername               52  205  allow
        socketpair                53  199  allow
        setsockopt                54  208  allow
        getsockopt                55  209  allow
        clone                     56  220  clone
        fork                      57   -1  allow
        vfork                     58   -1  allow
        execve                    59  221  allow
        exit                      60   93  allow
        wait4                     61  260  allow
        kill                      62  129  allow
        uname                     63  160  allow
        semget                    64  190  allow
        semop                     65  193  allow
        semctl                    66  191  allow
        shmdt                     67  197  allow
        msgget                    68  186  allow
        msgsnd                    69  189  allow
        msgrcv                    70  188  allow
        msgctl                    71  187  allow
        fcntl                     72   25  allow
        flock                     73   32  allow
        fsync                     74   82  allow
        fdatasync                 75   83  allow
        truncate                  76   45  allow
        ftruncate                 77   46  allow
        getdents                  78   -1  allow
        getcwd                    79   17  allow
        chdir                     80   49  allow
        fchdir                    81   50  allow
        rename                    82   -1  allow
        mkdir                     83   -1  allow
        rmdir                     84   -1  allow
        creat                     85   -1  allow
        link                      86   -1  allow
        unlink                    87   -1  allow
        symlink                   88   -1  allow
        readlink                  89   -1  allow
        chmod                     90   -1  allow
        fchmod                    91   52  allow
        chown                     92   -1  allow
        fchown                    93   55  allow
        lchown                    94   -1  allow
        umask                     95  166  allow
        gettimeofday              96  169  allow
        getrlimit                 97  163  allow
        getrusage                 98  165  allow
        sysinfo                   99  179  allow
        times                    100  153  allow
        ptrace                   101  117  allow
        getuid                   102  174  allow
        syslog                   103  116  deny
        getgid                   104  176  allow
        setuid                   105  146  allow
        setgid                   106  144  allow
        geteuid                  107  175  allow
        getegid                  108  177  allow
        setpgid                  109  154  allow
        getppid                  110  173  allow
        getpgrp                  111   -1  allow
        setsid                   112  157  allow
        setreuid                 113  145  allow
        setregid                 114  143  allow
        getgroups                115  158  allow
        setgroups                116  159  allow
        setresuid                117  147  allow
        getresuid                118  148  allow
        setresgid                119  149  allow
        getresgid                120  150  allow
        getpgid                  121  155  allow
        setfsuid                 122  151  allow
        setfsgid                 123  152  allow
        getsid                   124  156  allow
        capget                   125   90  allow
        capset                   126   91  allow
        rt_sigpending            127  136  allow
        rt_sigtimedwait          128  137  allow
        rt_sigqueueinfo          129  138  allow
        rt_sigsuspend            130  133  allow
        sigaltstack              131  132  allow
        utime                    132   -1  allow
        mknod                    133   -1  allow
        uselib                   134   -1  deny
        personality              135   92  personality
        ustat                    136   -1  deny
        statfs                   137   43  allow
        fstatfs                  138   44  allow
        sysfs                    139   -1  deny
        getpriority              140  141  allow
        setpriority              141  140  allow
        sched_setparam           142  118  allow
        sched_getparam           143  121  allow
        sched_setscheduler       144  119  allow
        sched_getscheduler       145  120  allow
        sched_get_priority_max   146  125  allow
        sched_get_priority_min   147  126  allow
        sched_rr_get_interval    148  127  allow
        mlock                    149  228  allow
        munlock                  150  229  allow
        mlockall                 151  230  allow
        munlockall               152  231  allow
        vhangup                  153   58  deny
        modify_ldt               154   -1  allow
        pivot_root               155   41  deny
        _sysctl                  156   -1  deny
        prctl                    157  167  allow
        arch_prctl               158   -1  allow
        adjtimex                 159  171  allow
        setrlimit                160  164  allow
        chroot                   161   51  allow
        sync                     162   81  allow
        acct                     163   89  deny
        settimeofday             164  170  deny
        mount                    165   40  deny
        umount2                  166   39  deny
        swapon                   167  224  deny
        swapoff                  168  225  deny
        reboot                   169  142  deny
        sethostname              170  161  deny
        setdomainname            171  162  deny
        iopl                     172   -1  deny
        ioperm                   173   -1  deny
        create_module            174   -1  deny
        init_module              175  105  deny
        delete_module            176  106  deny
        get_kernel_syms          177   -1  deny
        query_module             178   -1  deny
        quotactl                 179   60  deny
        nfsservctl               180   42  deny
        getpmsg                  181   -1  deny
        putpmsg                  182   -1  deny
        afs_syscall              183   -1  deny
        tuxcall                  184   -1  deny
        security                 185   -1  deny
        gettid                   186  178  allow
        readahead                187  213  allow
        setxattr                 188    5  allow
        lsetxattr                189    6  allow
        fsetxattr                190    7  allow
        getxattr                 191    8  allow
        lgetxattr                192    9  allow
        fgetxattr                193   10  allow
        listxattr                194   11  allow
        llistxattr               195   12  allow
        flistxattr               196   13  allow
        removexattr              197   14  allow
        lremovexattr             198   15  allow
        fremovexattr             199   16  allow
        tkill                    200  130  allow
        time                     201   -1  allow
        futex                    202   98  allow
        sched_setaffinity        203  122  allow
        sched_getaffinity        204  123  allow
        set_thread_area          205   -1  allow
        io_setup                 206    0  allow
        io_destroy               207    1  allow
        io_getevents             208    4  allow
        io_submit                209    2  allow
        io_cancel                210    3  allow
        get_thread_area          211   -1  allow
        lookup_dcookie           212   18  deny
        epoll_create             213   -1  allow
        epoll_ctl_old            214   -1  allow
        epoll_wait_old           215   -1  allow
        remap_file_pages         216  234  allow
        getdents64               217   61  allow
        set_tid_address          218   96  allow
        restart_syscall          219  128  allow
        semtimedop               220  192  allow
        fadvise64                221  223  allow
        timer_create             222  107  allow
        timer_settime            223  110  allow
        timer_gettime            224  108  allow
        timer_getoverrun         225  109  allow
        timer_delete             226  111  allow
        clock_settime            227  112  deny
        clock_gettime            228  113  allow
        clock_getres             229  114  allow
        clock_nanosleep          230  115  allow
        exit_group               231   94  allow
        epoll_wait               232   -1  allow
        epoll_ctl                233   21  allow
        tgkill                   234  131  allow
        utimes                   235   -1  allow
        vserver                  236   -1  deny
        mbind                    237  235  deny
        set_mempolicy            238  237  deny
        get_mempolicy            239  236  deny
        mq_open                  240  180  allow
        mq_unlink                241  181  allow
        mq_timedsend             242  182  allow
        mq_timedreceive          243  183  allow
        mq_notify                244  184  allow
        mq_getsetattr            245  185  allow
        kexec_load               246  104  deny
        waitid                   247   95  allow
        add_key                  248  217  deny
        request_key              249  218  deny
        keyctl                   250  219  deny
        ioprio_set               251   30  allow
        ioprio_get               252   31  allow
        inotify_init             253   -1  allow
        inotify_add_watch        254   27  allow
        inotify_rm_watch         255   28  allow
        migrate_pages            256  238  deny
        openat                   257   56  allow
        mkdirat                  258   34  allow
        mknodat                  259   33  allow
        fchownat                 260   54  allow
        futimesat                261   -1  allow
        newfstatat               262   79  allow
        unlinkat                 263   35  allow
        renameat                 264   38  allow
        linkat                   265   37  allow
        symlinkat                266   36  allow
        readlinkat               267   78  allow
        fchmodat                 268   53  allow
        faccessat                269   48  allow
        pselect6                 270   72  allow
        ppoll                    271   73  allow
        unshare                  272   97  deny
        set_robust_list          273   99  allow
        get_robust_list          274  100  allow
        splice                   275   76  allow
        tee                      276   77  allow
        sync_file_range          277   84  allow
        vmsplice                 278   75  allow
        move_pages               279  239  deny
        utimensat                280   88  allow
        epoll_pwait              281   22  allow
        signalfd                 282   -1  allow
        timerfd_create           283   85  allow
        eventfd                  284   -1  allow
        fallocate                285   47  allow
        timerfd_settime          286   86  allow
        timerfd_gettime          287   87  allow
        accept4                  288  242  allow
        signalfd4                289   74  allow
        eventfd2                 290   19  allow
        epoll_create1            291   20  allow
        dup3                     292   24  allow
        pipe2                    293   59  allow
        inotify_init1            294   26  allow
        preadv                   295   69  allow
        pwritev                  296   70  allow
        rt_tgsigqueueinfo        297  240  allow
        perf_event_open          298  241  deny
        recvmmsg                 299  243  allow
        fanotify_init            300  262  deny
        fanotify_mark            301  263  allow
        prlimit64                302  261  allow
        name_to_handle_at        303  264  allow
        open_by_handle_at        304  265  deny
        clock_adjtime            305  266  allow
        syncfs                   306  267  allow
        sendmmsg                 307  269  allow
        setns                    308  268  deny
        getcpu                   309  168  allow
        process_vm_readv         310  270  allow
        process_vm_writev        311  271  allow
        kcmp                     312  272  deny
        finit_module             313  273  deny
        sched_setattr            314  274  allow
        sched_getattr            315  275  allow
        renameat2                316  276  allow
        seccomp                  317  277  allow
        getrandom                318  278  allow
        memfd_create             319  279  allow
        kexec_file_load          320  294  deny
        bpf                      321  280  deny
        execveat                 322  281  allow
        userfaultfd              323  282  deny
        membarrier               324  283  allow
        mlock2                   325  284  allow
        copy_file_range          326  285  allow
        preadv2                  327  286  allow
        pwritev2                 328  287  allow
        pkey_mprotect            329  288  allow
        pkey_alloc               330  289  allow
        pkey_free                331  290  allow
        statx                    332  291  allow
        io_pgetevents            333  292  allow
        rseq                     334  293  allow
        uretprobe                335   -1  allow
        pidfd_send_signal        424  424  allow
        io_uring_setup           425  425  deny
        io_uring_enter           426  426  deny
        io_uring_register        427  427  deny
        open_tree                428  428  deny
        move_mount               429  429  deny
        fsopen                   430  430  deny
        fsconfig                 431  431  deny
        fsmount                  432  432  deny
        fspick                   433  433  deny
        pidfd_open               434  434  allow
        clone3                   435  435  enosys
        close_range              436  436  allow
        openat2                  437  437  allow
        pidfd_getfd              438  438  deny
        faccessat2               439  439  allow
        process_madvise          440  440  deny
        epoll_pwait2             441  441  allow
        mount_setattr            442  442  deny
        quotactl_fd              443  443  deny
        landlock_create_ruleset  444  444  allow
        landlock_add_rule        445  445  allow
        landlock_restrict_self   446  446  allow
        memfd_secret             447  447  allow
        process_mrelease         448  448  allow
        futex_waitv              449  449  allow
        set_mempolicy_home_node  450  450  deny
        cachestat                451  451  allow
        fchmodat2                452  452  allow
        map_shadow_stack         453  453  allow
        futex_wake               454  454  allow
        futex_wait               455  455  allow
        futex_requeue            456  456  allow
        statmount                457  457  deny
        listmount                458  458  deny
        lsm_get_self_attr        459  459  deny
        lsm_set_self_attr        460  460  deny
        lsm_list_modules         461  461  deny
        mseal                    462  462  allow
        setxattrat               463  463  allow
        getxattrat               464  464  allow
        listxattrat              465  465  allow
        removexattrat            466  466  allow
        open_tree_attr           467  467  deny
        file_getattr             468  468  allow
        file_setattr             469  469  allow
        listns                   470  470  deny
        """;
}
