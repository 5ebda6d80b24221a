using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>The step's working directory, opened inside the container's root.</summary>
internal static class WorkingDirectory
{
    /// <summary>
    /// Opens the working directory inside the (pivoted) root, creating what is missing (the last
    /// folder owned by the step's user, as Docker does). Resolved as openat2 RESOLVE_IN_ROOT with no
    /// magic links: <c>WORKDIR /proc/self/fd/N</c>, N a descriptor the helper still holds on a host
    /// folder, would otherwise put the command outside the root (runc's CVE-2024-21626).
    /// </summary>
    public static int Open(string cwd, uint uid, uint gid)
    {
        int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (root < 0) throw HelperException.FromErrno("open /", Errno);
        try
        {
            int fd = OpenInRoot(root, cwd, O_PATH | O_DIRECTORY);
            if (fd >= 0) return fd;
            if (Errno != ENOENT) throw Error(cwd, Errno);
            string prefix = "";
            string[] parts = cwd.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < parts.Length; i++)
            {
                string parentPath = prefix.Length == 0 ? "/" : prefix;
                prefix += "/" + parts[i];
                int existing = OpenInRoot(root, prefix, O_PATH | O_DIRECTORY);
                if (existing >= 0) { close(existing); continue; }
                if (Errno != ENOENT) throw Error(cwd, Errno);
                int parent = OpenInRoot(root, parentPath, O_PATH | O_DIRECTORY);
                if (parent < 0) throw Error(cwd, Errno);
                int made = mkdirat(parent, parts[i], 0b111_101_101);
                int madeErrno = Errno;
                if (made == 0 && i == parts.Length - 1) fchownat(parent, parts[i], uid, gid, AT_SYMLINK_NOFOLLOW);
                close(parent);
                if (made != 0) throw Error(cwd, madeErrno);
            }
            fd = OpenInRoot(root, cwd, O_PATH | O_DIRECTORY);
            if (fd < 0) throw Error(cwd, Errno);
            return fd;
        }
        finally
        {
            close(root);
        }
    }

    private static HelperException Error(string cwd, int errno) =>
        new(HelperException.Setup, $"cannot use the working directory {cwd}: {ErrorText(errno)} (errno {errno})" +
            (errno == ELOOP || errno == EXDEV ? "; it must resolve inside the container, without links through /proc" : ""));
}
