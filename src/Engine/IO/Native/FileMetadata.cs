namespace Containerize.Engine.IO.Native;

/// <summary>What a layer needs to know about one file system entry, read without following symlinks.</summary>
internal readonly record struct FileMetadata(
    UnixFileKind Kind,
    int Permissions,
    long Uid,
    long Gid,
    long Size,
    long MtimeSeconds,
    ulong Device,
    ulong Inode,
    uint LinkCount,
    int RdevMajor,
    int RdevMinor)
{
    public static FileMetadata Read(string path) => LibC.Statx(path);
}

internal enum UnixFileKind
{
    Fifo = 0x1000,
    CharacterDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    RegularFile = 0x8000,
    SymbolicLink = 0xA000,
    Socket = 0xC000,
}
