using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Containerize.Engine.IO.Native;

/// <summary>The few libc calls layers and the store need that .NET does not expose: statx, xattrs, mknod, lchown, utimensat, openat(2), unlinkat, mkdir with a mode.</summary>
internal static class LibC
{
    /// <summary>
    /// Resolves Marshal's assembly before any call here can fail. Under MSBuild, the first use of a
    /// framework facade from the task's folder goes through MSBuild's assembly resolver, whose file
    /// probes are system calls that overwrite the error a call just saved: a mkdir that met EEXIST
    /// was reported as ENOENT.
    /// </summary>
    static LibC() => _ = Marshal.GetLastPInvokeError();

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ENODATA = 61;
    private const int ERANGE = 34;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxNative(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    private static extern nint LListXattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[]? list, nint size);

    [DllImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static extern nint LGetXattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[]? value, nint size);

    [DllImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    private static extern int LSetXattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nint size, int flags);

    [DllImport("libc", EntryPoint = "mknod", SetLastError = true)]
    private static extern int MknodNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong device);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int LchownNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int ChmodNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int MkdirNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int LinkNative([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static extern int UtimensatNative(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, long[] times, int flags);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuidNative();

    public static bool IsRoot => GetEuidNative() == 0;

    public static uint EffectiveUserId => GetEuidNative();

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int AccessNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    /// <summary>Whether this process may execute the file (access(2) with X_OK).</summary>
    public static bool CanExecute(string path) => AccessNative(path, 1) == 0;

    public static bool CanReadAndWrite(string path) => AccessNative(path, 6) == 0;

    public const int ENOENT = 2, EEXIST = 17, EXDEV = 18, ENOTDIR = 20, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40;

    public static FileMetadata Statx(string path) => TryStatx(path) ?? throw new FileNotFoundException($"'{path}' does not exist.", path);

    /// <summary>The entry's metadata, or null when nothing is at that path.</summary>
    public static FileMetadata? TryStatx(string path)
    {
        if (StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var b) != 0)
        {
            return Marshal.GetLastPInvokeError() is ENOENT or ENOTDIR ? null : throw Failure("statx", path, Marshal.GetLastPInvokeError());
        }
        return ToMetadata(b);
    }

    /// <summary>
    /// The metadata of <paramref name="name"/> in the open directory (the descriptor's own with ""),
    /// not following a symlink; null when nothing is there.
    /// </summary>
    public static FileMetadata? TryStatxAt(SafeFileHandle directory, string name)
    {
        const int AtEmptyPath = 0x1000;
        int flags = AtSymlinkNoFollow | (name.Length == 0 ? AtEmptyPath : 0);
        if (StatxAtNative(directory, name, flags, StatxBasicStats, out var b) != 0)
        {
            return Marshal.GetLastPInvokeError() is ENOENT or ENOTDIR ? null : throw Failure("statx", name, Marshal.GetLastPInvokeError());
        }
        return ToMetadata(b);
    }

    private static FileMetadata ToMetadata(in StatxBuffer b) => new(
        (UnixFileKind)(b.Mode & 0xF000), b.Mode & 0xFFF, b.Uid, b.Gid, (long)b.Size, b.MtimeSeconds,
        ((ulong)b.DevMajor << 32) | b.DevMinor, b.Inode, b.NLink, (int)b.RdevMajor, (int)b.RdevMinor);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxAtNative(SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>open(2) flags; O_DIRECTORY and O_NOFOLLOW have other values on arm64 than on x86-64.</summary>
    [Flags]
    public enum OpenFlags
    {
        ReadOnly = 0,
        NoControllingTerminal = 0x100,
        NonBlocking = 0x800,
        CloseOnExec = 0x80000,
        PathOnly = 0x200000,
    }

    public static OpenFlags DirectoryOnly => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? (OpenFlags)0x4000 : (OpenFlags)0x10000;

    public static OpenFlags NoFollow => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? (OpenFlags)0x8000 : (OpenFlags)0x20000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern SafeFileHandle OpenNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mode);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static extern SafeFileHandle OpenAtNative(SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mode);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern SafeFileHandle Openat2Native(long number, SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref OpenHow how, nuint size);

    [DllImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    private static extern int UnlinkAtNative(SafeFileHandle dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    /// <summary>open(2); the handle is invalid on failure, with <paramref name="errno"/> set.</summary>
    public static SafeFileHandle Open(string path, OpenFlags flags, out int errno)
    {
        var handle = OpenNative(path, (int)(flags | OpenFlags.CloseOnExec), 0);
        errno = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return handle;
    }

    /// <summary>openat(2) relative to an open directory; the handle is invalid on failure, with <paramref name="errno"/> set.</summary>
    public static SafeFileHandle OpenAt(SafeFileHandle directory, string path, OpenFlags flags, out int errno)
    {
        var handle = OpenAtNative(directory, path, (int)(flags | OpenFlags.CloseOnExec), 0);
        errno = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return handle;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>
    /// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS: the path must stay
    /// below the directory and no component may be a symlink (ELOOP, EXDEV otherwise). ENOSYS before Linux 5.6.
    /// </summary>
    public static SafeFileHandle OpenBeneathWithoutSymlinks(SafeFileHandle directory, string path, OpenFlags flags, out int errno)
    {
        const long SysOpenat2 = 437; // the same on every architecture (added after the tables were unified)
        const ulong ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;
        var how = new OpenHow { Flags = (ulong)(flags | OpenFlags.CloseOnExec), Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks };
        var handle = Openat2Native(SysOpenat2, directory, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
        errno = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return handle;
    }

    /// <summary>unlinkat(2) of one name in an open directory (rmdir with <paramref name="directory"/>); 0 or the errno.</summary>
    public static int UnlinkAt(SafeFileHandle parent, string name, bool directory)
    {
        const int AtRemoveDir = 0x200;
        return UnlinkAtNative(parent, name, directory ? AtRemoveDir : 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Times an entry's metadata alone cannot show, in nanoseconds since the epoch: modification,
    /// status change and birth (0 where the file system does not record it). Null when nothing is there.
    /// </summary>
    public static (long MtimeNs, long CtimeNs, long BtimeNs)? TryStatxTimes(string path)
    {
        const uint StatxBtime = 0x800;
        if (StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats | StatxBtime, out var b) != 0)
        {
            return Marshal.GetLastPInvokeError() is ENOENT or ENOTDIR ? null : throw Failure("statx", path, Marshal.GetLastPInvokeError());
        }
        const long Billion = 1_000_000_000;
        long btime = (b.Mask & StatxBtime) != 0 ? b.BtimeSeconds * Billion + b.BtimeNanoseconds : 0;
        return (b.MtimeSeconds * Billion + b.MtimeNanoseconds, b.CtimeSeconds * Billion + b.CtimeNanoseconds, btime);
    }

    /// <summary>Extended attribute names and raw values of an entry, not following symlinks; empty where the file system has none.</summary>
    public static SortedDictionary<string, byte[]> ReadXattrs(string path)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        nint size = LListXattr(path, null, 0);
        if (size <= 0) return result;
        var list = new byte[size];
        size = LListXattr(path, list, size);
        if (size <= 0) return result;
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ReadXattr(path, name) is { } value) result[name] = value;
        }
        return result;
    }

    private static byte[]? ReadXattr(string path, string name)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            nint size = LGetXattr(path, name, null, 0);
            if (size < 0) return Marshal.GetLastPInvokeError() == ENODATA ? null : throw Failure("lgetxattr", path, Marshal.GetLastPInvokeError());
            var value = new byte[size];
            nint read = LGetXattr(path, name, value, size);
            if (read >= 0) return read == size ? value : value[..(int)read];
            if (Marshal.GetLastPInvokeError() != ERANGE) throw Failure("lgetxattr", path, Marshal.GetLastPInvokeError());
        }
        throw Failure("lgetxattr", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>Sets an xattr; false when the file system or our privileges do not allow it.</summary>
    public static bool TrySetXattr(string path, string name, byte[] value) => LSetXattr(path, name, value, value.Length, 0) == 0;

    public static void Mknod(string path, UnixFileKind kind, int permissions, int major, int minor)
    {
        // glibc's makedev encoding.
        ulong device = ((ulong)(uint)minor & 0xff) | (((ulong)(uint)major & 0xfff) << 8)
            | (((ulong)(uint)minor & ~0xffUL) << 12) | (((ulong)(uint)major & ~0xfffUL) << 32);
        if (MknodNative(path, (uint)kind | (uint)permissions, device) != 0) throw Failure("mknod", path, Marshal.GetLastPInvokeError());
    }

    public static void Lchown(string path, long uid, long gid)
    {
        if (LchownNative(path, (uint)uid, (uint)gid) != 0) throw Failure("lchown", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>chmod with every bit kept, setuid/setgid/sticky included.</summary>
    public static void Chmod(string path, int mode)
    {
        if (ChmodNative(path, (uint)mode) != 0) throw Failure("chmod", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>mkdir(2): the directory gets <paramref name="mode"/> (less the umask) from the start; fails when anything is already at the path.</summary>
    public static void MakeDirectory(string path, int mode)
    {
        if (MkdirNative(path, (uint)mode) != 0) throw Failure("mkdir", path, Marshal.GetLastPInvokeError());
    }

    public static void Link(string existing, string newPath)
    {
        if (LinkNative(existing, newPath) != 0) throw Failure("link", newPath, Marshal.GetLastPInvokeError());
    }

    /// <summary>Sets access and modification time of an entry itself (a symlink is not followed).</summary>
    public static void SetModificationTime(string path, long seconds)
    {
        long[] times = [seconds, 0, seconds, 0];
        UtimensatNative(AtFdCwd, path, times, AtSymlinkNoFollow);
    }

    /// <summary>Sets access and modification time of an entry itself to the nanosecond (a symlink is not followed).</summary>
    public static void SetModificationTimeNs(string path, long nanoseconds)
    {
        long seconds = Math.DivRem(nanoseconds, 1_000_000_000, out long rest);
        long[] times = [seconds, rest, seconds, rest];
        UtimensatNative(AtFdCwd, path, times, AtSymlinkNoFollow);
    }

    /// <param name="errno">Read right after the call, in the caller: the first call of this method may itself load code
    /// (a type, an assembly), which can run system calls on this thread that overwrite the saved error.</param>
    private static IOException Failure(string call, string path, int errno)
    {
        return new IOException($"{call} '{path}': {new Win32Exception(errno).Message}", errno);
    }
}
