using System.Text;
using Containerize.HelperProtocol;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>The step's working directory, opened inside the container's root.</summary>
internal static unsafe class WorkingDirectory
{
    private const int MaxLinks = 40; // the kernel's own limit on links followed in one lookup

    /// <summary>
    /// Opens the working directory inside the (pivoted) root, creating what is missing (the last
    /// folder owned by the step's user, as Docker does). Resolved as openat2 RESOLVE_IN_ROOT with no
    /// magic links: <c>WORKDIR /proc/self/fd/N</c>, N a descriptor the helper still holds on a host
    /// folder, would otherwise put the command outside the root (runc's CVE-2024-21626). Where a
    /// component is a symlink to something missing (<c>/w -> /nonexistent/target</c>), the link is
    /// followed as the root were "/" and its target created, as runc does.
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
            string resolved = Create(root, cwd, uid, gid);
            fd = OpenInRoot(root, resolved, O_PATH | O_DIRECTORY);
            if (fd < 0) throw Error(cwd, Errno);
            return fd;
        }
        finally
        {
            close(root);
        }
    }

    /// <summary>Walks <paramref name="cwd"/> one component at a time, following links inside the root and making missing folders; the path it came to.</summary>
    private static string Create(int root, string cwd, uint uid, uint gid)
    {
        var remaining = new LinkedList<string>(Components(cwd));
        string current = "/";
        int links = 0;
        while (remaining.First is { } first)
        {
            string part = first.Value;
            remaining.RemoveFirst();
            if (part == ".") continue;
            if (part == "..")
            {
                current = Parent(current);
                continue;
            }
            int parent = OpenInRoot(root, current, O_PATH | O_DIRECTORY);
            if (parent < 0) throw Error(cwd, Errno);
            try
            {
                if (ReadLink(parent, part) is { } target)
                {
                    if (++links > MaxLinks) throw Error(cwd, ELOOP);
                    foreach (string c in Enumerable.Reverse(Components(target))) remaining.AddFirst(c);
                    if (target.StartsWith('/')) current = "/";
                    continue;
                }
                int existing = openat(parent, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
                if (existing >= 0)
                {
                    close(existing);
                }
                else
                {
                    if (Errno != ENOENT) throw Error(cwd, Errno);
                    if (mkdirat(parent, part, 0b111_101_101) != 0) throw Error(cwd, Errno);
                    if (remaining.Count == 0) fchownat(parent, part, uid, gid, AT_SYMLINK_NOFOLLOW);
                }
                current = current == "/" ? "/" + part : current + "/" + part;
            }
            finally
            {
                close(parent);
            }
        }
        return current;
    }

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>The target of <paramref name="name"/> in <paramref name="directory"/> when it is a symlink, else null.</summary>
    private static string? ReadLink(int directory, string name)
    {
        byte* buffer = stackalloc byte[4096];
        nint n = readlinkat(directory, name, buffer, 4096);
        return n < 0 ? null : Encoding.UTF8.GetString(buffer, (int)n);
    }

    private static HelperException Error(string cwd, int errno) =>
        new(HelperFailureCodes.SetupFailed, $"cannot use the working directory {cwd}: {ErrorText(errno)} (errno {errno})" +
            (errno == ELOOP ? "; its symbolic links go round in a loop, or through /proc" : errno == EXDEV ? "; it must resolve inside the container, without links through /proc" : ""));
}
