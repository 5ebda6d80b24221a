using Containerize.HelperProtocol;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// What the engine cannot do to a tree as an ordinary user, done by the helper inside a user
/// namespace with the same id mapping as the RUN containers (the launcher starts it under
/// <c>unshare --user</c> and newuidmap/newgidmap), where the helper is root over every mapped id:
/// <list type="bullet">
/// <item><c>chown &lt;dir&gt; &lt;records&gt;</c>: give the entries of a freshly unpacked layer the owners
/// the image names (as the container sees them), their modes again (chown clears setuid/setgid) and
/// their file capabilities.</item>
/// <item><c>own &lt;dir&gt; &lt;records&gt;</c>: before the engine reads an upper directory, hand every
/// entry to container root (the engine's own user) with owner read (and search) permission, writing
/// what each entry had to the records file, so the engine can read the tree and put the real
/// owners, modes and capabilities in the layer, and delete the tree afterwards.</item>
/// <item><c>remove &lt;dir&gt;</c>: delete a tree whose entries belong to subordinate ids.</item>
/// </list>
/// Records are UTF-8, five NUL-terminated fields each: path relative to the directory ('/'-separated),
/// uid, gid, mode (permission bits, decimal) and the <c>security.capability</c> value in hex (may be empty).
/// Paths from records are opened with openat2(RESOLVE_IN_ROOT) and O_NOFOLLOW: nothing outside the
/// directory is ever touched, a symlink is changed itself and never its target.
/// </summary>
internal static unsafe class TreeCommands
{
    private const string Capability = "security.capability";
    private const int AT_STATX_NOFOLLOW = AT_SYMLINK_NOFOLLOW;
    private const int S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xA000;

    public static void ApplyOwners(string root, string recordsFile)
    {
        int rootFd = open(root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (rootFd < 0) throw Fail($"open {root}", Errno);
        try
        {
            foreach (var entry in HelperOwnerRecords.Decode(HelperFailure.Io($"read the owner records {recordsFile}", () => File.ReadAllBytes(recordsFile), HelperFailureCodes.LayerUnpackInNamespaceFailed)))
            {
                int fd = OpenInRoot(rootFd, entry.Path, O_PATH | O_NOFOLLOW);
                if (fd < 0)
                {
                    int e = Errno;
                    if (e is ENOENT or ENOTDIR) continue; // removed or replaced later in the same layer, or a device node an unprivileged unpack skipped
                    throw Fail($"open {entry.Path}", e);
                }
                try { Apply(fd, entry); }
                finally { close(fd); }
            }
        }
        finally { close(rootFd); }
    }

    private static void Apply(int fd, HelperOwnerRecord entry)
    {
        var (uid, gid, mode) = Stat(fd, "", AT_EMPTY_PATH | AT_STATX_NOFOLLOW, entry.Path);
        string self = $"/proc/self/fd/{fd}";
        if (uid != entry.Uid || gid != entry.Gid)
        {
            if (fchownat(fd, "", entry.Uid, entry.Gid, AT_EMPTY_PATH) != 0)
            {
                int e = Errno;
                if (e == EINVAL)
                {
                    throw new HelperException(HelperFailureCodes.LayerUnpackInNamespaceFailed,
                        $"the layer gives '{entry.Path}' the owner {entry.Uid}:{entry.Gid}, which is outside the ids mapped in the user namespace; "
                        + "give the build user a larger range in /etc/subuid and /etc/subgid (65536 ids cover every image that follows the usual conventions)");
                }
                throw Fail($"chown {entry.Path} to {entry.Uid}:{entry.Gid}", e);
            }
        }
        if ((mode & S_IFMT) == S_IFLNK) return;
        // chown clears setuid, setgid and file capabilities: set them again.
        if (chmod(self, (uint)entry.Mode) != 0) throw Fail($"chmod {entry.Path}", Errno);
        if (entry.Capability is { Length: > 0 } cap && (mode & S_IFMT) == S_IFREG
            && setxattr(self, Capability, cap, cap.Length, 0) != 0)
        {
            throw Fail($"set {Capability} on {entry.Path}", Errno);
        }
    }

    public static void TakeOwnership(string root, string recordsFile)
    {
        var records = new List<HelperOwnerRecord>();
        string full = Path.GetFullPath(root);
        var (_, _, rootMode) = Stat(AT_FDCWD, full, AT_STATX_NOFOLLOW, full);
        if ((rootMode & S_IFMT) != S_IFDIR) throw new HelperException(HelperFailureCodes.LayerUnpackInNamespaceFailed, $"{root} is not a directory");
        Own(full, "", records);
        HelperFailure.Io($"write the owner records {recordsFile}", () => File.WriteAllBytes(recordsFile, HelperOwnerRecords.Encode(records)), HelperFailureCodes.LayerUnpackInNamespaceFailed);
    }

    private static void Own(string directory, string prefix, List<HelperOwnerRecord> records)
    {
        foreach (string path in HelperFailure.Io($"list {directory}", () => Directory.GetFileSystemEntries(directory), HelperFailureCodes.LayerUnpackInNamespaceFailed))
        {
            string name = prefix + Path.GetFileName(path);
            var (uid, gid, mode) = Stat(AT_FDCWD, path, AT_STATX_NOFOLLOW, name);
            int kind = mode & S_IFMT;
            int wanted = kind == S_IFDIR ? 0b111_000_000 : kind == S_IFREG ? 0b100_000_000 : 0;
            bool chown = uid != 0 || gid != 0;
            if (chown || (mode & wanted) != wanted)
            {
                records.Add(new HelperOwnerRecord(name, uid, gid, mode & 0xFFF, chown && kind == S_IFREG ? ReadCapability(path) : null));
                if (chown && lchown(path, 0, 0) != 0) throw Fail($"chown {name}", Errno);
                if (kind != S_IFLNK && chmod(path, (uint)((mode & 0x1FF) | wanted)) != 0) throw Fail($"chmod {name}", Errno);
            }
            if (kind == S_IFDIR) Own(path, name + "/", records);
        }
    }

    public static void Remove(string root)
    {
        if (!Directory.Exists(root) && !File.Exists(root)) return;
        // .NET's recursive delete unlinks symlinks instead of following them; as root of the
        // namespace the helper may enter and empty every directory whose owner is mapped.
        HelperFailure.Io($"remove {root}", () => Directory.Delete(root, recursive: true), HelperFailureCodes.LayerUnpackInNamespaceFailed);
    }

    private static byte[]? ReadCapability(string path)
    {
        byte* buffer = stackalloc byte[64];
        nint n = lgetxattr(path, Capability, buffer, 64);
        if (n < 0) return null; // ENODATA: none; ENOTSUP: the file system has no xattrs
        return new Span<byte>(buffer, (int)n).ToArray();
    }

    private static (uint Uid, uint Gid, int Mode) Stat(int dirFd, string path, int flags, string name)
    {
        byte* buffer = stackalloc byte[256];
        if (statx(dirFd, path, flags, 0x7 /* TYPE|MODE|NLINK... */ | 0x18 /* UID|GID */, buffer) != 0) throw Fail($"stat {name}", Errno);
        return (*(uint*)(buffer + 20), *(uint*)(buffer + 24), *(ushort*)(buffer + 28));
    }

    private static HelperException Fail(string what, int errno) => HelperException.FromErrno(what, errno, HelperFailureCodes.LayerUnpackInNamespaceFailed);
}
