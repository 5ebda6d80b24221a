using System.Runtime.InteropServices;

namespace Containerize.Helper;

/// <summary>The libc calls and raw system calls the helper needs (Linux, x86-64 and arm64).</summary>
internal static unsafe class Libc
{
    private const string Lib = "libc";

    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
        MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_STRICTATIME = 1 << 24;

    public const int MNT_DETACH = 2;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    // arm64 numbers these two differently (there 0x10000 and 0x20000 are O_DIRECT and O_LARGEFILE).
    public static readonly int O_DIRECTORY = Arm64 ? 0x4000 : 0x10000, O_NOFOLLOW = Arm64 ? 0x8000 : 0x20000;
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000, AT_RECURSIVE = 0x8000;
    public const int ENOENT = 2, ENODATA = 61, ENOTDIR = 20, ELOOP = 40, EXDEV = 18, EEXIST = 17, EPERM = 1, EACCES = 13, ENOSYS = 38, EINVAL = 22;
    public const int X_OK = 1;
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_CAPBSET_DROP = 24;
    public const int SIGKILL = 9;
    public const ulong RESOLVE_IN_ROOT = 0x10, RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4, MOUNT_ATTR_NOEXEC = 8;
    public const int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
    public const uint CLOSE_RANGE_CLOEXEC = 4;
    public const int PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    [DllImport(Lib, SetLastError = true)] public static extern int mount(string? source, string target, string? fstype, ulong flags, string? data);
    [DllImport(Lib, SetLastError = true)] public static extern int umount2(string target, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int chdir(string path);
    [DllImport(Lib, SetLastError = true)] public static extern int fchdir(int fd);
    [DllImport(Lib, SetLastError = true)] public static extern int open(string path, int flags, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int openat(int dirfd, string path, int flags, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int mkdirat(int dirfd, string path, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int mkdir(string path, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int symlink(string target, string linkpath);
    [DllImport(Lib, SetLastError = true)] public static extern int close(int fd);
    [DllImport(Lib, SetLastError = true)] public static extern nint readlinkat(int dirfd, string path, byte* buffer, nint size);
    [DllImport(Lib, SetLastError = true)] public static extern int dup2(int oldfd, int newfd);
    [DllImport(Lib, SetLastError = true)] public static extern int access(string path, int mode);
    [DllImport(Lib, SetLastError = true)] public static extern int sethostname(string name, nint len);
    [DllImport(Lib, SetLastError = true)] public static extern int setgroups(nint size, uint[] list);
    [DllImport(Lib, SetLastError = true)] public static extern int setresgid(uint r, uint e, uint s);
    [DllImport(Lib, SetLastError = true)] public static extern int setresuid(uint r, uint e, uint s);
    [DllImport(Lib, SetLastError = true)] public static extern int prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);
    [DllImport(Lib, SetLastError = true)] public static extern int getppid();
    [DllImport(Lib, SetLastError = true)] public static extern int execve(string path, string?[] argv, string?[] envp);
    [DllImport(Lib, SetLastError = true)] public static extern int socket(int domain, int type, int protocol);
    [DllImport(Lib, SetLastError = true)] public static extern int ioctl(int fd, nuint request, byte* arg);
    [DllImport(Lib, SetLastError = true)] public static extern int fchownat(int dirfd, string path, uint uid, uint gid, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int fchmodat(int dirfd, string path, uint mode, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int lchown(string path, uint uid, uint gid);
    [DllImport(Lib, SetLastError = true)] public static extern int mknod(string path, uint mode, ulong dev);
    [DllImport(Lib, SetLastError = true)] public static extern int lsetxattr(string path, string name, byte[] value, nint size, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int utimensat(int dirfd, string path, long* times, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern nint write(int fd, byte* buf, nint count);
    [DllImport(Lib, SetLastError = true)] public static extern nint read(int fd, byte* buf, nint count);
    [DllImport(Lib, SetLastError = true)] public static extern int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
    [DllImport(Lib, SetLastError = true)] public static extern nint lgetxattr(string path, string name, byte* value, nint size);
    [DllImport(Lib, SetLastError = true)] public static extern int fsetxattr(int fd, string name, byte[] value, nint size, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int chmod(string path, uint mode);
    [DllImport(Lib, SetLastError = true)] public static extern int setxattr(string path, string name, byte[] value, nint size, int flags);
    [DllImport(Lib, SetLastError = true)] public static extern int fcntl(int fd, int command, int argument);
    [DllImport(Lib, SetLastError = true)] public static extern int execv(string path, string?[] argv);
    [DllImport(Lib, SetLastError = true)] public static extern long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    private static bool Arm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static long SysPivotRoot => Arm64 ? 41 : 155;
    private const long SysOpenat2 = 437, SysMountSetattr = 442, SysCloseRange = 436;
    private static long SysCapget => Arm64 ? 90 : 125;
    private static long SysCapset => Arm64 ? 91 : 126;

    public static int Errno => Marshal.GetLastPInvokeError();

    public static int PivotRoot(string newRoot, string putOld)
    {
        IntPtr a = Marshal.StringToCoTaskMemUTF8(newRoot), b = Marshal.StringToCoTaskMemUTF8(putOld);
        try { return (int)syscall(SysPivotRoot, a, b, 0, 0, 0); }
        finally { Marshal.FreeCoTaskMem(a); Marshal.FreeCoTaskMem(b); }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow { public ulong Flags, Mode, Resolve; }

    /// <summary>openat2(2): resolves <paramref name="path"/> as if <paramref name="rootFd"/> were "/" (symlinks and ".." cannot escape).</summary>
    public static int OpenInRoot(int rootFd, string path, int flags, int mode = 0)
    {
        var how = new OpenHow { Flags = (ulong)(flags | O_CLOEXEC), Mode = (ulong)mode, Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        IntPtr p = Marshal.StringToCoTaskMemUTF8(path);
        try { return (int)syscall(SysOpenat2, rootFd, p, (long)&how, sizeof(OpenHow), 0); }
        finally { Marshal.FreeCoTaskMem(p); }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MountAttr { public ulong AttrSet, AttrClr, Propagation, UsernsFd; }

    /// <summary>mount_setattr(2): makes the mount at <paramref name="path"/> (and below, when recursive) read-only.</summary>
    public static int MakeReadOnly(string path, bool recursive) => SetMountAttributes(path, MOUNT_ATTR_RDONLY, recursive);

    /// <summary>mount_setattr(2): sets <paramref name="attributes"/> (MOUNT_ATTR_*) on the mount at <paramref name="path"/> (and below, when recursive).</summary>
    public static int SetMountAttributes(string path, ulong attributes, bool recursive)
    {
        var attr = new MountAttr { AttrSet = attributes };
        IntPtr p = Marshal.StringToCoTaskMemUTF8(path);
        try { return (int)syscall(SysMountSetattr, AT_FDCWD, p, recursive ? AT_RECURSIVE : 0, (long)&attr, sizeof(MountAttr)); }
        finally { Marshal.FreeCoTaskMem(p); }
    }

    /// <summary>close_range(2) from <paramref name="first"/> to the last descriptor with <paramref name="flags"/> (Linux 5.9; 5.11 for CLOSE_RANGE_CLOEXEC).</summary>
    public static int CloseRange(uint first, uint flags) => (int)syscall(SysCloseRange, first, uint.MaxValue, flags, 0, 0);

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData { public uint Effective, Permitted, Inheritable; }

    /// <summary>Empties the inheritable capability set, keeping the effective and permitted sets (capget/capset, version 3).</summary>
    public static int ClearInheritableCapabilities()
    {
        var header = new CapHeader { Version = 0x20080522 };
        var data = stackalloc CapData[2];
        if (syscall(SysCapget, (long)&header, (long)data, 0, 0, 0) != 0) return -1;
        data[0].Inheritable = 0;
        data[1].Inheritable = 0;
        return (int)syscall(SysCapset, (long)&header, (long)data, 0, 0, 0);
    }

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
