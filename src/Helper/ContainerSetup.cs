using System.Runtime.InteropServices;
using System.Text;
using Containerize.HelperProtocol;
using Microsoft.Win32.SafeHandles;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// Builds the container inside the namespaces <c>unshare</c> made, then execs the command.
///
/// Overlay lower directories: the mount option string is limited to one page (4096 bytes). Each lower
/// directory is opened (O_PATH) and passed as its descriptor number relative to
/// <c>/proc/self/fd</c> (the helper chdirs there for the mount), e.g. <c>lowerdir=12:11:10</c>:
/// about 4 bytes per layer, so overlay's own limit of 500 layers is reached long before the page.
///
/// Mount points the rootfs lacks (<c>/proc</c>, <c>/dev</c>, <c>/sys</c>, <c>/etc/hosts</c>, bind
/// targets) have to be created in the merged tree, which writes them into the upper directory. The
/// helper records each entry it created ("c") and each directory whose copy-up it caused ("u") in
/// <c>&lt;scratch&gt;/created</c>; after the command exits the launcher removes those from the upper
/// directory when they are still empty and unchanged. A created WORKDIR is not recorded (Docker keeps it).
/// </summary>
internal sealed class ContainerSetup
{
    private readonly HelperRunSpec _spec;
    private readonly int _scratchFd;
    private readonly List<string> _created = new();
    private readonly List<string> _copiedUp = new();
    private int _rootFd = -1;

    public ContainerSetup(HelperRunSpec spec, int scratchFd)
    {
        _spec = spec;
        _scratchFd = scratchFd;
    }

    public void Run()
    {
        Check(mount(null, "/", null, MS_REC | MS_PRIVATE, null), "make / private");
        if (_spec.CopiedRoot.Length > 0) MountBindRoot();
        else MountOverlay();
        _rootFd = open(_spec.MountPoint, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (_rootFd < 0) throw FromErrno($"open {_spec.MountPoint}", Errno);

        MountProc();
        MountDev();
        MountSys();
        MaskKernelFiles();
        foreach (var (source, target) in new[] { (_spec.ResolvConf.Length > 0 ? _spec.ResolvConf : "/etc/resolv.conf", "/etc/resolv.conf"), ("/etc/hosts", "/etc/hosts") })
        {
            if (File.Exists(source)) BindMount(source, target, readOnly: true, isDirectory: false, nodev: true);
        }
        foreach (var m in _spec.Mounts)
        {
            if (m.Kind == HelperMountKind.Tmpfs)
            {
                int fd = EnsureMountPoint(m.Target, isDirectory: true);
                Check(mount("tmpfs", FdPath(fd), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"), $"mount tmpfs on {m.Target}");
                close(fd);
                if (m.ReadOnly) ReadOnlyAt(m.Target, recursive: false);
            }
            else
            {
                BindMount(m.Source, m.Target, m.ReadOnly, Directory.Exists(m.Source), nodev: true);
            }
        }
        WriteCreatedList();

        Check(chdir(_spec.MountPoint), "chdir to the root");
        Check(PivotRoot(".", "."), "pivot_root");
        Check(umount2(".", MNT_DETACH), "detach the old root");
        Check(chdir("/"), "chdir /");
        close(_rootFd);

        if (_spec.Network == HelperNetwork.None) LoopbackUp(); // the user-mode network (default) brings it up itself
        if (_spec.Hostname.Length > 0)
        {
            Check(sethostname(_spec.Hostname, Encoding.UTF8.GetByteCount(_spec.Hostname)), "sethostname");
        }

        string cwd = _spec.WorkingDirectory.Length == 0 ? "/" : _spec.WorkingDirectory;
        var user = UserResolver.Resolve(_spec.User, "/etc/passwd", "/etc/group");
        int cwdFd = WorkingDirectory.Open(cwd, user.Uid, user.Gid);
        if (_spec.ReadOnlyRoot) Check(MakeReadOnly("/", false), "make the root read-only");

        if (_spec.AwaitNetwork) AwaitNetwork();
        int devNull = open("/dev/null", O_RDWR, 0);
        if (devNull < 0) throw FromErrno("open /dev/null", Errno);
        Check(dup2(devNull, 0), "redirect stdin");
        close(devNull);

        // In a user namespace with one mapped id (unshare --map-root-user) setgroups is denied and
        // only id 0 exists: root steps work, any other user is refused with a clear message.
        StepCapabilities.LimitToDockersDefaultSet();
        // Docker's default system call filter. no_new_privs stays off, as under Docker and BuildKit
        // (whose RUN spec asks for new privileges explicitly): setuid tools such as su, sudo and ping
        // must work in a step. Without it, installing a filter needs CAP_SYS_ADMIN, which the helper
        // loses with the switch to the step's user: so the filter goes in here, and applies to the
        // few calls left before execve too (all of them allowed).
        if (!SeccompFilter.Install())
        {
            Console.Error.WriteLine("containerize-helper: warning: this kernel has no seccomp filter support (CONFIG_SECCOMP_FILTER); the command runs without a system call filter");
        }
        bool setgroupsDenied = File.Exists("/proc/self/setgroups") && HelperFailure.Io("read /proc/self/setgroups", () => File.ReadAllText("/proc/self/setgroups")).Trim() == "deny";
        if (!setgroupsDenied) Check(setgroups(user.SupplementaryGroups.Length, user.SupplementaryGroups), "setgroups");
        if (setresgid(user.Gid, user.Gid, user.Gid) != 0 || setresuid(user.Uid, user.Uid, user.Uid) != 0)
        {
            int switchErrno = Errno;
            if (switchErrno == EINVAL || setgroupsDenied)
            {
                throw new HelperException(HelperFailureCodes.SetupFailed,
                    $"cannot switch to user {_spec.User} (uid {user.Uid}, gid {user.Gid}): that id is not mapped in the user namespace " +
                    "(only one id is mapped: give the build user a /etc/subuid and /etc/subgid range and install newuidmap/newgidmap, package uidmap)");
            }
            throw FromErrno($"switch to uid {user.Uid} gid {user.Gid}", switchErrno);
        }
        // A change of credentials clears the parent-death signal that unshare --kill-child set.
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (fchdir(cwdFd) != 0) throw FromErrno($"chdir {cwd}", Errno);
        close(cwdFd);

        string program = LookPath(_spec.Arguments[0]);
        ResetSignals();
        string?[] argv = [.. _spec.Arguments, null];
        bool hasHome = _spec.Environment.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal));
        string?[] envp = [.. _spec.Environment, .. hasHome ? Array.Empty<string>() : [$"HOME={user.Home}"], null];
        // The command's stderr joins its stdout: what reaches the launcher's stderr after this is unshare's own word on how the command ended.
        if (dup2(1, 2) < 0) throw FromErrno("redirect stderr to stdout", Errno);
        InheritedDescriptors.CloseOnExec();
        execve(program, argv, envp);
        int errno = Errno;
        throw FromErrno($"exec {program}", errno, errno == ENOENT ? HelperFailureCodes.CommandNotFound : HelperFailureCodes.SetupFailed);
    }

    private void MountOverlay()
    {
        var fds = new List<int>();
        // The one place the layers are listed the other way: lowerdir= names the topmost first.
        foreach (string dir in Enumerable.Reverse(_spec.LowerDirectoriesBottomFirst))
        {
            int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            if (fd < 0) throw FromErrno($"open lower directory {dir}", Errno, HelperFailureCodes.OverlayMountFailed);
            fds.Add(fd);
        }
        string lower = string.Join(':', fds);
        string baseOptions = $"lowerdir={lower},upperdir={_spec.UpperDirectory},workdir={_spec.WorkDirectory}";
        Check(chdir("/proc/self/fd"), "chdir /proc/self/fd");
        // Diffs must see every change as plain files: no redirects, no index, no metacopy.
        // In a user namespace the layers were unpacked with user.overlay.* whiteouts and opaque
        // markers: an overlay without userxattr would mount on some kernels and silently ignore
        // them, so userxattr is the only choice there (it implies no redirects and no metacopy).
        string[] variants = _spec.UserXattr
            ? [baseOptions + ",userxattr"]
            :
            [
                baseOptions + ",redirect_dir=off,index=off,metacopy=off",
                baseOptions + ",userxattr",
                baseOptions,
            ];
        // volatile (Linux 5.10+) makes sync and fsync no-ops on the upper directory, as buildah and
        // podman mount it: the upper is scratch, read into a layer after the step and deleted, so
        // its durability does not matter, and package managers fsync every file they unpack
        // (dpkg installing a compiler took twice as long with them). Older kernels refuse it.
        // A volatile mount leaves work/incompat/volatile behind, and overlay refuses to mount that
        // work directory again while it is there. Reusing an upper after a clean unmount (the launcher
        // tests do) is safe, so the marker goes; after a crash the scratch is never reused.
        string marker = Path.Combine(_spec.WorkDirectory, "work", "incompat", "volatile");
        if (Directory.Exists(marker)) HelperFailure.Io($"remove {marker}", () => Directory.Delete(marker, recursive: true), HelperFailureCodes.OverlayMountFailed);
        var attempts = variants.SelectMany(options => new[] { options + ",volatile", options });
        int lastErrno = 0;
        bool mounted = false;
        foreach (string options in attempts)
        {
            if (options.Length >= 4096) throw new HelperException(HelperFailureCodes.OverlayMountFailed, $"overlay options too long ({options.Length} bytes)");
            if (mount("overlay", _spec.MountPoint, "overlay", MS_NODEV, options) == 0) { mounted = true; break; }
            lastErrno = Errno;
        }
        chdir("/");
        foreach (int fd in fds) close(fd);
        if (!mounted) throw FromErrno($"mount overlay on {_spec.MountPoint} ({_spec.LowerDirectoriesBottomFirst.Count} lower directories)", lastErrno, HelperFailureCodes.OverlayMountFailed);
    }

    /// <summary>The copy fallback: the step's own copy of the image, bound as the root and changed in place.</summary>
    private void MountBindRoot()
    {
        Check(mount(_spec.CopiedRoot, _spec.MountPoint, null, MS_BIND | MS_REC, null), $"bind the root directory {_spec.CopiedRoot}");
        Check(SetMountAttributes(_spec.MountPoint, MOUNT_ATTR_NODEV, recursive: true), $"make the root directory {_spec.CopiedRoot} nodev");
    }

    private void MountProc()
    {
        int fd = EnsureMountPoint("/proc", isDirectory: true);
        Check(mount("proc", FdPath(fd), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null), "mount /proc");
        close(fd);
    }

    private void MountDev()
    {
        int fd = EnsureMountPoint("/dev", isDirectory: true);
        // nodev: a node the step makes here cannot be opened; the standard devices are bind mounts
        // of the host's, which keep their own mount's flags.
        Check(mount("tmpfs", FdPath(fd), "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, "mode=755,size=65536k"), "mount tmpfs on /dev");
        close(fd);
        // Re-open: the descriptor above points below the new tmpfs.
        int dev = OpenInRoot(_rootFd, "/dev", O_PATH | O_DIRECTORY);
        if (dev < 0) throw FromErrno("open /dev", Errno);
        string devPath = FdPath(dev);
        foreach (string name in new[] { "null", "zero", "full", "random", "urandom", "tty" })
        {
            string host = "/dev/" + name;
            if (!File.Exists(host)) continue;
            int f = openat(dev, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0b110_110_110);
            if (f < 0) throw FromErrno($"create /dev/{name}", Errno);
            close(f);
            Check(mount(host, $"{devPath}/{name}", null, MS_BIND, null), $"bind {host}");
        }
        Check(mkdirat(dev, "pts", 0b111_101_101), "mkdir /dev/pts");
        if (mount("devpts", $"{devPath}/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5") != 0)
        {
            Check(mount("devpts", $"{devPath}/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"), "mount /dev/pts");
        }
        Check(mkdirat(dev, "shm", 0b1_111_111_111), "mkdir /dev/shm");
        Check(mount("shm", $"{devPath}/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"), "mount /dev/shm");
        Check(mkdirat(dev, "mqueue", 0b111_101_101), "mkdir /dev/mqueue");
        foreach (var (link, target) in new[] { ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx"), ("core", "/proc/kcore") })
        {
            Check(symlink(target, $"{devPath}/{link}"), $"symlink /dev/{link}");
        }
        close(dev);
    }

    private void MountSys()
    {
        int fd = EnsureMountPoint("/sys", isDirectory: true);
        string target = FdPath(fd);
        if (mount("sysfs", target, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null) != 0)
        {
            // A fresh sysfs needs a network namespace of our own; otherwise bind the host's, read-only.
            Check(mount("/sys", target, null, MS_BIND | MS_REC, null), "bind /sys");
            close(fd);
            RestrictAt("/sys", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV, recursive: true);
            return;
        }
        close(fd);
    }

    private void BindMount(string source, string target, bool readOnly, bool isDirectory, bool nodev)
    {
        int fd = EnsureMountPoint(target, isDirectory);
        string path = FdPath(fd);
        Check(mount(source, path, null, MS_BIND | MS_REC, null), $"bind {source} on {target}");
        close(fd);
        ulong attributes = (readOnly ? MOUNT_ATTR_RDONLY : 0) | (nodev ? MOUNT_ATTR_NODEV : 0);
        if (attributes != 0) RestrictAt(target, attributes, recursive: true);
    }

    private void ReadOnlyAt(string path, bool recursive) => RestrictAt(path, MOUNT_ATTR_RDONLY, recursive);

    /// <summary>Sets MOUNT_ATTR_* <paramref name="attributes"/> on the mount now at <paramref name="path"/> (re-opened: a descriptor taken before the mount points below it).</summary>
    private void RestrictAt(string path, ulong attributes, bool recursive)
    {
        int fd = OpenInRoot(_rootFd, path, O_PATH);
        if (fd < 0) throw FromErrno($"open {path}", Errno);
        Check(SetMountAttributes(FdPath(fd), attributes, recursive), $"restrict the mount at {path}");
        close(fd);
    }

    /// <summary>containerd's masked and read-only kernel files (<see cref="KernelFileMasks"/>), those this kernel has.</summary>
    private void MaskKernelFiles()
    {
        foreach (string path in KernelFileMasks.Masked)
        {
            int fd = OpenInRoot(_rootFd, path, O_PATH | O_NOFOLLOW);
            if (fd < 0) continue;
            int dir = OpenInRoot(_rootFd, path, O_PATH | O_NOFOLLOW | O_DIRECTORY);
            if (dir >= 0)
            {
                close(dir);
                Check(mount("tmpfs", FdPath(fd), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null), $"mask {path}");
            }
            else
            {
                // The host's /dev/null (the root is not pivoted yet): nothing the image holds can stand in for it.
                Check(mount("/dev/null", FdPath(fd), null, MS_BIND, null), $"mask {path}");
            }
            close(fd);
        }
        foreach (string path in KernelFileMasks.ReadOnly)
        {
            int fd = OpenInRoot(_rootFd, path, O_PATH | O_NOFOLLOW);
            if (fd < 0) continue;
            Check(mount(FdPath(fd), FdPath(fd), null, MS_BIND | MS_REC, null), $"bind {path} onto itself");
            close(fd);
            RestrictAt(path, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, recursive: true);
        }
    }

    /// <summary>
    /// Opens (O_PATH) <paramref name="path"/> inside the root, resolving symlinks within the root,
    /// creating it and its missing parents when needed and recording what it created.
    /// </summary>
    private int EnsureMountPoint(string path, bool isDirectory, int depth = 0)
    {
        if (depth > 40) throw new HelperException(HelperFailureCodes.SetupFailed, $"too many levels of symbolic links at mount point {path}");
        string rel = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        int fd = OpenInRoot(_rootFd, rel, O_PATH);
        if (fd >= 0) return fd;
        if (Errno != ENOENT || rel == "/") throw FromErrno($"open mount point {rel}", Errno);

        int slash = rel.LastIndexOf('/');
        string parent = slash == 0 ? "/" : rel[..slash];
        string name = rel[(slash + 1)..];
        int parentFd = EnsureMountPoint(parent, isDirectory: true, depth + 1);
        string? link = ReadLinkAt(parentFd, name);
        if (link is not null)
        {
            // A dangling symlink: create its target, resolved inside the root, as runc does.
            close(parentFd);
            return EnsureMountPoint(link.StartsWith('/') ? link : $"{parent.TrimEnd('/')}/{link}", isDirectory, depth + 1);
        }
        NoteCopyUp(parent);
        int rc = isDirectory
            ? mkdirat(parentFd, name, 0b111_101_101)
            : openat(parentFd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0b110_100_100);
        if (rc < 0) { int e = Errno; close(parentFd); throw FromErrno($"create mount point {rel}", e); }
        if (!isDirectory) close(rc);
        close(parentFd);
        _created.Add(rel);
        fd = OpenInRoot(_rootFd, rel, O_PATH);
        if (fd < 0) throw FromErrno($"open mount point {rel}", Errno);
        return fd;
    }

    private static unsafe string? ReadLinkAt(int dirFd, string name)
    {
        byte* buffer = stackalloc byte[4096];
        nint n = readlinkat(dirFd, name, buffer, 4096);
        return n <= 0 ? null : Encoding.UTF8.GetString(buffer, (int)n);
    }

    /// <summary>Records the directories between the root and <paramref name="dir"/> that are not yet in the upper directory (creating an entry copies them up).</summary>
    private void NoteCopyUp(string dir)
    {
        string current = "";
        foreach (string part in dir.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            if (_created.Contains(current) || _copiedUp.Contains(current)) continue;
            if (!Path.Exists(ChangesDirectory + current)) _copiedUp.Add(current);
        }
    }

    /// <summary>Where the mount points the helper creates land: the upper directory, or the copied root itself (nothing is copied up there).</summary>
    private string ChangesDirectory => _spec.CopiedRoot.Length > 0 ? _spec.CopiedRoot : _spec.UpperDirectory;

    private void WriteCreatedList()
    {
        WriteScratchFile(_scratchFd, HelperScratchFiles.Created, HelperCreatedList.Format(_created, _copiedUp));
    }

    public static void WriteScratchFile(int scratchFd, string name, string content)
    {
        int fd = openat(scratchFd, name, O_WRONLY | O_CREAT | O_CLOEXEC | 0x200 /* O_TRUNC */, 0b110_000_000);
        if (fd < 0) throw FromErrno($"write {name}", Errno);
        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    private string LookPath(string file)
    {
        if (file.Contains('/')) return file;
        string? path = null;
        foreach (string e in _spec.Environment)
        {
            if (e.StartsWith("PATH=", StringComparison.Ordinal)) path = e[5..];
        }
        if (path is not null)
        {
            foreach (string dir in path.Split(':'))
            {
                string candidate = Path.Combine(dir.Length == 0 ? "." : dir, file);
                if (File.Exists(candidate) && access(candidate, X_OK) == 0) return candidate;
            }
        }
        throw new HelperException(HelperFailureCodes.CommandNotFound,
            $"exec: \"{file}\": executable file not found in $PATH ({(path is null ? "PATH is not set" : "PATH=" + path)})");
    }

    /// <summary>Reads stdin up to the launcher's line that says the network is connected; its end without one means the build gave up.</summary>
    private static unsafe void AwaitNetwork()
    {
        byte b;
        while (true)
        {
            nint n = read(0, &b, 1);
            if (n == 1 && b == (byte)'\n') return;
            if (n == 0 || (n < 0 && Errno != 4 /* EINTR */))
            {
                throw new HelperException(HelperFailureCodes.SetupFailed, "the build stopped before the step's network was connected");
            }
        }
    }

    private static unsafe void LoopbackUp()
    {
        int s = socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */ | O_CLOEXEC, 0);
        if (s < 0) throw FromErrno("socket", Errno);
        byte* ifreq = stackalloc byte[40];
        new Span<byte>(ifreq, 40).Clear();
        ifreq[0] = (byte)'l'; ifreq[1] = (byte)'o';
        if (ioctl(s, 0x8913 /* SIOCGIFFLAGS */, ifreq) != 0) throw FromErrno("SIOCGIFFLAGS lo", Errno);
        *(short*)(ifreq + 16) |= 1 /* IFF_UP */;
        if (ioctl(s, 0x8914 /* SIOCSIFFLAGS */, ifreq) != 0) throw FromErrno("SIOCSIFFLAGS lo", Errno);
        close(s);
    }

    [DllImport("libc")] private static extern nint signal(int sig, nint handler);
    [DllImport("libc")] private static extern unsafe int sigprocmask(int how, byte* set, byte* old);

    /// <summary>The runtime ignores SIGPIPE; ignored signals and the mask survive execve, so reset them.</summary>
    private static unsafe void ResetSignals()
    {
        for (int sig = 1; sig < 32; sig++)
        {
            if (sig is 9 or 19) continue;
            signal(sig, 0 /* SIG_DFL */);
        }
        byte* empty = stackalloc byte[128];
        new Span<byte>(empty, 128).Clear();
        sigprocmask(2 /* SIG_SETMASK */, empty, null);
    }

    private static string FdPath(int fd) => $"/proc/self/fd/{fd}";

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw FromErrno(what, Errno);
    }

    private static HelperException FromErrno(string what, int errno, string code = HelperFailureCodes.SetupFailed) =>
        HelperException.FromErrno(what, errno, code);
}
