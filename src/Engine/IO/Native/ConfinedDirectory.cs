using Microsoft.Win32.SafeHandles;

namespace Containerize.Engine.IO.Native;

/// <summary>
/// An open directory (O_PATH) below which paths ('/'-separated, relative) are resolved without
/// following a symlink in any component and without leaving it: openat2 with RESOLVE_BENEATH |
/// RESOLVE_NO_SYMLINKS, or, on kernels without openat2 (before 5.6), one openat(O_NOFOLLOW) per
/// component; a ".." component is refused either way. For trees a RUN step controlled: what can only be reached through a
/// symlink is not the entry the caller means, so it is reported as missing.
/// </summary>
internal sealed class ConfinedDirectory : IDisposable
{
    private static bool _kernelLacksOpenat2;

    private readonly SafeFileHandle _handle;
    private readonly bool _openat2;

    private ConfinedDirectory(SafeFileHandle handle, string path, bool openat2)
    {
        _handle = handle;
        Path = path;
        _openat2 = openat2;
    }

    /// <summary>The directory's path, for messages.</summary>
    public string Path { get; }

    /// <summary>Opens a directory the caller trusts (its own scratch folder); null when nothing is there.</summary>
    public static ConfinedDirectory? TryOpen(string path) => TryOpen(path, openat2: !_kernelLacksOpenat2);

    /// <summary><paramref name="openat2"/> false: resolve component by component, as on kernels without openat2.</summary>
    internal static ConfinedDirectory? TryOpen(string path, bool openat2)
    {
        var handle = LibC.Open(path, LibC.OpenFlags.PathOnly | LibC.DirectoryOnly, out int errno);
        if (!handle.IsInvalid) return new ConfinedDirectory(handle, path, openat2);
        handle.Dispose();
        return errno is LibC.ENOENT or LibC.ENOTDIR ? null : throw Failure("open", path, errno);
    }

    /// <summary>
    /// The directory at <paramref name="relative"/> ("" for this one); null when a component is
    /// missing, a symlink or not a directory.
    /// </summary>
    public ConfinedDirectory? TryOpenDirectory(string relative)
    {
        var handle = Resolve(relative, LibC.OpenFlags.PathOnly | LibC.DirectoryOnly, out int errno);
        if (!handle.IsInvalid) return new ConfinedDirectory(handle, Join(relative), _openat2);
        handle.Dispose();
        return IsNotPlainlyThere(errno) ? null : throw Failure("open", Join(relative), errno);
    }

    /// <summary>The metadata of the entry <paramref name="name"/> of this directory itself (a symlink is not followed); null when missing.</summary>
    public FileMetadata? TryStat(string name) => LibC.TryStatxAt(_handle, name);

    /// <summary>
    /// Removes the entry <paramref name="name"/>: an empty directory with <paramref name="directory"/>,
    /// anything but a directory without. False when it is gone or, as a directory, not empty.
    /// </summary>
    public bool TryRemove(string name, bool directory)
    {
        int errno = LibC.UnlinkAt(_handle, name, directory);
        return errno switch
        {
            0 => true,
            LibC.ENOENT or LibC.ENOTEMPTY or LibC.EEXIST => false,
            _ => throw Failure(directory ? "rmdir" : "unlink", Join(name), errno),
        };
    }

    /// <summary>The xattrs of the entry <paramref name="name"/> of this directory itself, not following a symlink.</summary>
    public SortedDictionary<string, byte[]> ReadXattrs(string name)
    {
        // The xattr calls take a directory descriptor only from Linux 6.13 (getxattrat): the
        // descriptor's /proc link stands for exactly this directory, and l*xattr stops at the name.
        var xattrs = LibC.ReadXattrs($"/proc/self/fd/{_handle.DangerousGetHandle()}/{name}");
        GC.KeepAlive(_handle);
        return xattrs;
    }

    /// <summary>Opens the regular file at <paramref name="relative"/> for reading; an IOException when it is not one, reached without symlinks.</summary>
    public FileStream OpenRegularFile(string relative)
    {
        // Non-blocking: a FIFO put where the file was must not hang the open.
        var handle = Resolve(relative, LibC.OpenFlags.ReadOnly | LibC.NoFollow | LibC.OpenFlags.NonBlocking | LibC.OpenFlags.NoControllingTerminal, out int errno);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw Failure("open", Join(relative), errno);
        }
        if (LibC.TryStatxAt(handle, "")?.Kind != UnixFileKind.RegularFile)
        {
            handle.Dispose();
            throw new IOException($"'{Join(relative)}' is not a regular file.");
        }
        return new FileStream(handle, FileAccess.Read, bufferSize: 1);
    }

    /// <summary>"a/b/c" gives ("a/b", "c"); "/proc" gives ("", "proc").</summary>
    public static (string Parent, string Name) SplitLast(string relative)
    {
        string trimmed = relative.Trim('/');
        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? ("", trimmed) : (trimmed[..slash], trimmed[(slash + 1)..]);
    }

    public void Dispose() => _handle.Dispose();

    private SafeFileHandle Resolve(string relative, LibC.OpenFlags flags, out int errno)
    {
        string trimmed = relative.Trim('/');
        if (trimmed.Length == 0) trimmed = ".";
        if (trimmed.Split('/').Contains(".."))
        {
            errno = LibC.EXDEV; // what RESOLVE_BENEATH answers for a path that climbs out
            return new SafeFileHandle(-1, ownsHandle: false);
        }
        if (_openat2 && !_kernelLacksOpenat2)
        {
            var handle = LibC.OpenBeneathWithoutSymlinks(_handle, trimmed, flags, out errno);
            if (errno != LibC.ENOSYS) return handle;
            handle.Dispose();
            _kernelLacksOpenat2 = true;
        }
        return ResolveByComponents(trimmed, flags, out errno);
    }

    /// <summary>The fallback: each directory opened by its name in the one above, never through a symlink.</summary>
    private SafeFileHandle ResolveByComponents(string relative, LibC.OpenFlags flags, out int errno)
    {
        string[] parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        SafeFileHandle? above = null;
        for (int i = 0; ; i++)
        {
            bool last = i == parts.Length - 1;
            var next = LibC.OpenAt(above ?? _handle, parts[i], last ? flags | LibC.NoFollow : LibC.OpenFlags.PathOnly | LibC.DirectoryOnly | LibC.NoFollow, out errno);
            above?.Dispose();
            if (next.IsInvalid || last) return next;
            above = next;
        }
    }

    /// <summary>Missing, or reachable only through a symlink, a non-directory or "..".</summary>
    private static bool IsNotPlainlyThere(int errno) => errno is LibC.ENOENT or LibC.ENOTDIR or LibC.ELOOP or LibC.EXDEV;

    private string Join(string relative) => System.IO.Path.Join(Path, relative.Trim('/'));

    private static IOException Failure(string call, string path, int errno) =>
        new($"{call} '{path}': {new System.ComponentModel.Win32Exception(errno).Message}", errno);
}
