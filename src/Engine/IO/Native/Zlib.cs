using System.Runtime.InteropServices;

namespace Containerize.Engine.IO.Native;

/// <summary>
/// The few zlib calls a strict gzip reader needs (the system's libz.so.1). .NET's GZipStream ends
/// silently at a truncated stream or at bytes after the last member and never says where a member
/// ended; zlib's inflate does: Z_STREAM_END after a member's CRC-32 and ISIZE were checked, with
/// the input it did not use left in <see cref="ZStream.AvailIn"/>.
/// </summary>
internal static class Zlib
{
    public const int Ok = 0, StreamEnd = 1, NeedDictionary = 2, BufferError = -5;
    public const int NoFlush = 0;

    /// <summary>15-bit window, +16: a gzip wrapper (header, CRC-32 and ISIZE checked), not zlib's.</summary>
    public const int GzipWindowBits = 15 + 16;

    private const string Library = "libz.so.1";
    private const string Version = "1.2.11"; // zlib checks only the first digit against its own

    /// <summary>zlib's z_stream; uInt is 32 bits, uLong and pointers are native words on Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public nint NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public nint NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public nint Message;
        public nint State;
        public nint Alloc;
        public nint Free;
        public nint Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [DllImport(Library, EntryPoint = "inflateInit2_")]
    private static extern int InflateInit2(ref ZStream stream, int windowBits, [MarshalAs(UnmanagedType.LPStr)] string version, int streamSize);

    [DllImport(Library, EntryPoint = "inflate")]
    public static extern int Inflate(ref ZStream stream, int flush);

    [DllImport(Library, EntryPoint = "inflateReset")]
    public static extern int InflateReset(ref ZStream stream);

    [DllImport(Library, EntryPoint = "inflateEnd")]
    public static extern int InflateEnd(ref ZStream stream);

    public static int InflateInit(ref ZStream stream) => InflateInit2(ref stream, GzipWindowBits, Version, Marshal.SizeOf<ZStream>());

    public static string? MessageOf(in ZStream stream) => stream.Message == 0 ? null : Marshal.PtrToStringAnsi(stream.Message);
}
