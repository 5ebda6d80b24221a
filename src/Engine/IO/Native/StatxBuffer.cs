using System.Runtime.InteropServices;

namespace Containerize.Engine.IO.Native;

/// <summary>
/// Linux <c>struct statx</c>. Unlike <c>struct stat</c>, its layout is fixed by the kernel ABI and
/// identical on every architecture, so one declaration serves x64, arm64 and the rest.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint NLink;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(80)] public long BtimeSeconds;
    [FieldOffset(88)] public uint BtimeNanoseconds;
    [FieldOffset(96)] public long CtimeSeconds;
    [FieldOffset(104)] public uint CtimeNanoseconds;
    [FieldOffset(112)] public long MtimeSeconds;
    [FieldOffset(120)] public uint MtimeNanoseconds;
    [FieldOffset(128)] public uint RdevMajor;
    [FieldOffset(132)] public uint RdevMinor;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;
}
