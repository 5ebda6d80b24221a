using System.Text;
using Containerize.HelperProtocol;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// A small text file of the image (<c>/etc/passwd</c>, <c>/etc/group</c>), read without trusting it: a
/// FIFO would block the step forever and a link to <c>/dev/zero</c> would fill memory, so only a
/// regular file of at most 16 MiB is read (opened non-blocking, its type checked on the descriptor).
/// </summary>
internal static unsafe class ImageTextFile
{
    public const int MaxBytes = 16 << 20;
    private const int S_IFMT = 0xF000, S_IFREG = 0x8000, O_NONBLOCK = 0x800;

    /// <summary>The file's text, or null when the image has none.</summary>
    public static string? Read(string path)
    {
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        if (fd < 0)
        {
            int e = Errno;
            if (e is ENOENT or ENOTDIR) return null;
            throw HelperException.FromErrno($"open the image's {path}", e);
        }
        try
        {
            byte* stat = stackalloc byte[256];
            if (statx(fd, "", AT_EMPTY_PATH, 0x1 /* STATX_TYPE */, stat) != 0) throw HelperException.FromErrno($"stat the image's {path}", Errno);
            if ((*(ushort*)(stat + 28) & S_IFMT) != S_IFREG)
            {
                throw new HelperException(HelperFailureCodes.SetupFailed, $"the image's {path} is not a regular file (a device, FIFO, socket or directory); users cannot be looked up in it");
            }
            var data = new MemoryStream();
            byte* buffer = stackalloc byte[65536];
            while (true)
            {
                nint n = read(fd, buffer, 65536);
                if (n < 0) throw HelperException.FromErrno($"read the image's {path}", Errno);
                if (n == 0) break;
                if (data.Length + n > MaxBytes) throw new HelperException(HelperFailureCodes.SetupFailed, $"the image's {path} is larger than {MaxBytes >> 20} MiB");
                data.Write(new ReadOnlySpan<byte>(buffer, (int)n));
            }
            return Encoding.UTF8.GetString(data.GetBuffer(), 0, (int)data.Length);
        }
        finally
        {
            close(fd);
        }
    }
}
