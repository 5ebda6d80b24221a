using System.Buffers;
using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Layers;

/// <summary>
/// Writes tar entries byte for byte the same way every time: ustar headers with empty
/// uname/gname, a PAX extended header only when a value does not fit ustar (long or non-ASCII
/// names, large ids, sizes or times, xattrs), never atime or ctime. The caller supplies entries
/// in the order they should appear.
/// </summary>
internal sealed class DeterministicTarWriter
{
    private const int BlockSize = 512;
    private const long MaxOctal7 = 0x1FFFFF;          // 7 octal digits: 2097151
    private const long MaxOctal11 = 0x1FFFFFFFF;      // 11 octal digits: 8 GiB - 1
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly Stream _output;
    private readonly byte[] _header = new byte[BlockSize];

    public DeterministicTarWriter(Stream output) => _output = output;

    /// <summary>Writes one entry; a regular file's <paramref name="content"/> must yield exactly <see cref="TarEntry.Size"/> bytes.</summary>
    public void WriteEntry(TarEntry entry, Stream? content = null, CancellationToken cancellationToken = default)
    {
        var pax = ExtendedRecords(entry);
        if (pax.Count > 0)
        {
            byte[] records = EncodePax(pax);
            WriteHeader(PaxHeaderName(entry.Name), (byte)'x', 0b110_100_100, 0, 0, records.Length, 0, "", 0, 0);
            _output.Write(records);
            Pad(records.Length);
        }

        WriteHeader(entry.Name, (byte)entry.Type, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.MtimeSeconds,
            entry.LinkName, entry.DeviceMajor, entry.DeviceMinor);

        if (entry.Size > 0)
        {
            if (content is null) throw new ArgumentException($"Entry '{entry.Name}' has a size but no content.", nameof(content));
            CopyExactly(entry, content, cancellationToken);
            Pad(entry.Size);
        }
    }

    /// <summary>Writes the end-of-archive marker: two zero blocks.</summary>
    public void Finish() => _output.Write(new byte[2 * BlockSize]);

    private static SortedDictionary<string, byte[]> ExtendedRecords(TarEntry entry)
    {
        var pax = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!FitsUstarText(entry.Name)) pax["path"] = Encoding.UTF8.GetBytes(entry.Name);
        if (!FitsUstarText(entry.LinkName)) pax["linkpath"] = Encoding.UTF8.GetBytes(entry.LinkName);
        if (entry.Uid is < 0 or > MaxOctal7) pax["uid"] = Ascii(entry.Uid);
        if (entry.Gid is < 0 or > MaxOctal7) pax["gid"] = Ascii(entry.Gid);
        if (entry.Size > MaxOctal11) pax["size"] = Ascii(entry.Size);
        if (entry.MtimeSeconds is < 0 or > MaxOctal11) pax["mtime"] = Ascii(entry.MtimeSeconds);
        if (entry.Xattrs is { } xattrs)
        {
            foreach (var (name, value) in xattrs) pax[XattrPrefix + name] = value;
        }
        return pax;
    }

    private static bool FitsUstarText(string text)
    {
        if (text.Length > 100) return false;
        foreach (char c in text)
        {
            if (c is < (char)1 or > (char)127) return false;
        }
        return true;
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>PAX records "&lt;length&gt; &lt;key&gt;=&lt;value&gt;\n", the length counting its own digits.</summary>
    private static byte[] EncodePax(SortedDictionary<string, byte[]> records)
    {
        using var buffer = new MemoryStream();
        foreach (var (key, value) in records)
        {
            byte[] keyBytes = Encoding.UTF8.GetBytes(key);
            int baseLength = keyBytes.Length + value.Length + 3;
            int length = baseLength + 1;
            while (length != baseLength + Digits(length)) length = baseLength + Digits(length);
            buffer.Write(Encoding.ASCII.GetBytes($"{length} "));
            buffer.Write(keyBytes);
            buffer.WriteByte((byte)'=');
            buffer.Write(value);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    private static int Digits(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;

    private static string PaxHeaderName(string name)
    {
        string trimmed = name.TrimEnd('/');
        string baseName = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return "PaxHeaders/" + baseName;
    }

    private void WriteHeader(string name, byte type, int mode, long uid, long gid, long size, long mtime, string linkName, int major, int minor)
    {
        var h = _header.AsSpan();
        h.Clear();
        WriteText(h[..100], name);
        WriteOctal(h.Slice(100, 8), mode & 0xFFF);
        WriteOctal(h.Slice(108, 8), uid is < 0 or > MaxOctal7 ? 0 : uid);
        WriteOctal(h.Slice(116, 8), gid is < 0 or > MaxOctal7 ? 0 : gid);
        WriteOctal(h.Slice(124, 12), size > MaxOctal11 ? 0 : size);
        WriteOctal(h.Slice(136, 12), mtime is < 0 or > MaxOctal11 ? 0 : mtime);
        h[156] = type;
        WriteText(h.Slice(157, 100), linkName);
        "ustar\0"u8.CopyTo(h.Slice(257, 6));
        "00"u8.CopyTo(h.Slice(263, 2));
        WriteOctal(h.Slice(329, 8), major);
        WriteOctal(h.Slice(337, 8), minor);

        h.Slice(148, 8).Fill((byte)' ');
        int checksum = 0;
        foreach (byte b in h) checksum += b;
        WriteOctal(h.Slice(148, 7), checksum);
        h[155] = (byte)' ';
        _output.Write(h);
    }

    /// <summary>ASCII text, truncated to the field; anything else travels in the PAX header.</summary>
    private static void WriteText(Span<byte> field, string text)
    {
        for (int i = 0; i < text.Length && i < field.Length; i++)
        {
            char c = text[i];
            field[i] = c is >= (char)1 and <= (char)127 ? (byte)c : (byte)'_';
        }
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which stays NUL.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        for (int i = field.Length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
    }

    private void CopyExactly(TarEntry entry, Stream content, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            long remaining = entry.Size;
            while (remaining > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read == 0)
                {
                    throw new ContainerizeException(ErrorCodes.LayerSourceUnreadable,
                        $"'{entry.Name}' became shorter while it was added to a layer ({entry.Size - remaining} of {entry.Size} bytes). Make sure nothing writes to the directory during the build, then build again.");
                }
                _output.Write(buffer, 0, read);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Pad(long size)
    {
        int padding = (int)((BlockSize - size % BlockSize) % BlockSize);
        if (padding > 0) _output.Write(new byte[padding]);
    }
}
