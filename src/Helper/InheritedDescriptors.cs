using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// Descriptors the helper was started with beyond stdin, stdout and stderr: whatever the build
/// process (or the shell that started it) had open without close-on-exec. None may reach the
/// step's command: one open on a host folder is a way out of the root (runc's CVE-2024-21626).
/// </summary>
internal static class InheritedDescriptors
{
    /// <summary>Marks every descriptor from 3 up close-on-exec, so the next execve drops them all.</summary>
    public static void CloseOnExec()
    {
        if (CloseRange(3, CLOSE_RANGE_CLOEXEC) == 0) return;
        // Kernels before 5.11: each open descriptor, as /proc lists them (the listing's own is closed by then).
        var open = new List<int>();
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out int fd) && fd >= 3) open.Add(fd);
        }
        foreach (int fd in open)
        {
            int flags = fcntl(fd, F_GETFD, 0);
            if (flags < 0) continue; // the enumeration's own descriptor, gone
            if (fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0) throw HelperException.FromErrno($"mark descriptor {fd} close-on-exec", Errno);
        }
    }
}
