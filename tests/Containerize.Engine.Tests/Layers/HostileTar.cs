using System.IO.Compression;
using System.Text;

namespace Containerize.Engine.Tests.Layers;

/// <summary>
/// Writes tar archives byte by byte, as a hostile publisher would: any name, type flag, size or
/// octal field, a checksum that is right or wrong, PAX and GNU long-name records, and gzip damage.
/// </summary>
internal sealed class HostileTar
{
    private readonly MemoryStream _tar = new();

    /// <summary>One header; fields left null are well-formed. <paramref name="rawSize"/> replaces the octal size field.</summary>
    public HostileTar Header(string name, char type = '0', long size = 0, string? linkName = null, int mode = 0b110_100_100,
        byte[]? rawSize = null, byte[]? rawMode = null, bool badChecksum = false, bool ustar = true, string? prefix = null)
    {
        byte[] h = new byte[512];
        Put(h, 0, 100, Encoding.UTF8.GetBytes(name));
        Put(h, 100, 8, rawMode ?? Octal(mode, 8));
        Put(h, 108, 8, Octal(0, 8));
        Put(h, 116, 8, Octal(0, 8));
        Put(h, 124, 12, rawSize ?? Octal(size, 12));
        Put(h, 136, 12, Octal(1_700_000_000, 12));
        h[156] = (byte)type;
        if (linkName is not null) Put(h, 157, 100, Encoding.UTF8.GetBytes(linkName));
        if (ustar)
        {
            Put(h, 257, 6, "ustar\0"u8.ToArray());
            Put(h, 263, 2, "00"u8.ToArray());
        }
        if (prefix is not null) Put(h, 345, 155, Encoding.UTF8.GetBytes(prefix));
        for (int i = 148; i < 156; i++) h[i] = (byte)' ';
        long sum = h.Sum(b => (long)b);
        Put(h, 148, 8, Octal(badChecksum ? sum + 1 : sum, 7));
        _tar.Write(h);
        return this;
    }

    public HostileTar File(string name, byte[] content, int mode = 0b110_100_100)
    {
        Header(name, '0', content.Length, mode: mode);
        return Data(content);
    }

    public HostileTar File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public HostileTar Directory(string name) => Header(name.EndsWith('/') ? name : name + "/", '5', mode: 0b111_101_101);

    public HostileTar Symlink(string name, string target) => Header(name, '2', linkName: target.Length <= 100 ? target : null);

    public HostileTar HardLink(string name, string target) => Header(name, '1', linkName: target);

    /// <summary>Content (padded to a block) after a header that announced it.</summary>
    public HostileTar Data(byte[] content)
    {
        _tar.Write(content);
        _tar.Write(new byte[(512 - content.Length % 512) % 512]);
        return this;
    }

    /// <summary>A PAX extended header ('x') for the next entry.</summary>
    public HostileTar Pax(params (string Key, string Value)[] records)
    {
        var body = new MemoryStream();
        foreach (var (key, value) in records)
        {
            string record = $" {key}={value}\n";
            int length = Encoding.UTF8.GetByteCount(record);
            int total = length + length.ToString().Length;
            if (total.ToString().Length != length.ToString().Length) total++;
            body.Write(Encoding.UTF8.GetBytes(total + record));
        }
        Header("././@PaxHeader", 'x', body.Length);
        return Data(body.ToArray());
    }

    /// <summary>A GNU long name ('L') or long link ('K') record for the next entry.</summary>
    public HostileTar GnuLong(char type, string value)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(value), 0];
        Header("././@LongLink", type, bytes.Length, ustar: false);
        return Data(bytes);
    }

    public HostileTar Raw(byte[] bytes)
    {
        _tar.Write(bytes);
        return this;
    }

    /// <summary>The archive with its end-of-archive marker (two zero blocks) unless told otherwise.</summary>
    public byte[] ToArray(bool endMarker = true)
    {
        var copy = new MemoryStream();
        _tar.Position = 0;
        _tar.CopyTo(copy);
        if (endMarker) copy.Write(new byte[1024]);
        return copy.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>The gzip with its trailer's CRC-32 (offset 8 from the end) or ISIZE (offset 4) changed.</summary>
    public static byte[] WithTrailerByteFlipped(byte[] gzip, int fromEnd)
    {
        byte[] copy = (byte[])gzip.Clone();
        copy[^fromEnd] ^= 0x01;
        return copy;
    }

    private static byte[] Octal(long value, int width) => Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(width - 1, '0') + "\0");

    private static void Put(byte[] header, int offset, int length, byte[] value) => value.AsSpan(0, Math.Min(length, value.Length)).CopyTo(header.AsSpan(offset));
}
