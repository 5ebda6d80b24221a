using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// What the copy fallback remembers of one entry of the step's root before the command runs.
/// Times are nanoseconds since the epoch; <see cref="BtimeNs"/> is 0 where the file system keeps
/// no birth time; <see cref="XattrsHash"/> is null for an entry without xattrs.
/// </summary>
internal sealed record SnapshotEntry(
    UnixFileKind Kind,
    int Permissions,
    long Uid,
    long Gid,
    long Size,
    long MtimeNs,
    long CtimeNs,
    long BtimeNs,
    ulong Inode,
    uint LinkCount,
    int RdevMajor,
    int RdevMinor,
    string? LinkTarget,
    string? XattrsHash);
