using System.Buffers;
using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Layers;

/// <summary>
/// Reads tar entries from an untrusted layer: ustar, PAX (local headers; xattr values kept as raw
/// bytes, which System.Formats.Tar would decode as text) and GNU long names. Anything malformed
/// or truncated, including a missing end-of-archive marker, is a <see cref="ErrorCodes.CorruptLayer"/>.
/// </summary>
internal sealed class LayerTarReader
{
    private const int BlockSize = 512;
    private const int MaxMetadataSize = 1 << 20;
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly Stream _input;
    private readonly byte[] _block = new byte[BlockSize];
    private long _unreadContent;
    private long _padding;
    private string _lastName = "(start of the layer)";

    public LayerTarReader(Stream input) => _input = input;

    /// <summary>The next entry, or null at the end-of-archive marker. Content not read by the caller is skipped.</summary>
    public TarEntry? ReadNext()
    {
        SkipContent();
        Dictionary<string, byte[]>? pax = null;
        string? longName = null, longLink = null;
        while (true)
        {
            if (!ReadBlock(atHeader: true)) return null;
            var h = _block.AsSpan();
            VerifyChecksum(h);
            byte type = h[156];
            long size = ParseNumber(h.Slice(124, 12), "size");
            if (size < 0) throw Corrupt("has an entry with a negative size");

            switch (type)
            {
                case (byte)'x':
                    pax = ParsePax(ReadMetadata(size));
                    continue;
                case (byte)'g':
                    _ = ReadMetadata(size); // global headers carry nothing a layer needs (comments, charset)
                    continue;
                case (byte)'L':
                    longName = CString(ReadMetadata(size));
                    continue;
                case (byte)'K':
                    longLink = CString(ReadMetadata(size));
                    continue;
            }

            var entryType = type switch
            {
                0 or (byte)'0' or (byte)'7' => TarEntryType.RegularFile,
                (byte)'1' => TarEntryType.HardLink,
                (byte)'2' => TarEntryType.SymbolicLink,
                (byte)'3' => TarEntryType.CharacterDevice,
                (byte)'4' => TarEntryType.BlockDevice,
                (byte)'5' => TarEntryType.Directory,
                (byte)'6' => TarEntryType.Fifo,
                _ => throw new ContainerizeException(ErrorCodes.UnsupportedFileType,
                    $"The layer entry '{HeaderName(h)}' has tar type '{(char)type}', which is not supported in image layers (sparse or multi-volume archives are not)."),
            };

            // As in Go's archive/tar: a name no file system can hold; the message keeps the entry before.
            if (Text(pax, "path") is { } p && p.Contains('\0') || Text(pax, "linkpath") is { } l && l.Contains('\0'))
            {
                throw Corrupt("has a PAX path or link target with a NUL character, which no file name can hold");
            }
            string name = Text(pax, "path") ?? longName ?? HeaderName(h);
            if (name.Length == 0) throw Corrupt("has an entry with an empty name");
            _lastName = name;
            if (Text(pax, "size") is { } paxSize) size = ParsePaxNumber(paxSize, "size");
            var entry = new TarEntry
            {
                Name = name,
                Type = entryType,
                Mode = (int)(ParseNumber(h.Slice(100, 8), "mode") & 0xFFF),
                Uid = Text(pax, "uid") is { } uid ? ParsePaxNumber(uid, "uid") : ParseNumber(h.Slice(108, 8), "uid"),
                Gid = Text(pax, "gid") is { } gid ? ParsePaxNumber(gid, "gid") : ParseNumber(h.Slice(116, 8), "gid"),
                Size = entryType is TarEntryType.RegularFile ? size : 0,
                MtimeSeconds = Text(pax, "mtime") is { } mtime ? ParsePaxNumber(mtime.Split('.')[0], "mtime") : ParseNumber(h.Slice(136, 12), "mtime"),
                LinkName = Text(pax, "linkpath") ?? longLink ?? CString(h.Slice(157, 100)),
                DeviceMajor = (int)ParseNumber(h.Slice(329, 8), "devmajor"),
                DeviceMinor = (int)ParseNumber(h.Slice(337, 8), "devminor"),
                Xattrs = Xattrs(pax),
            };
            // As in Go's archive/tar, only regular files carry data; other types are header-only whatever their size field says.
            _unreadContent = entry.Size;
            _padding = Padding(entry.Size);
            return entry;
        }
    }

    /// <summary>Copies the current entry's content to <paramref name="output"/>.</summary>
    public void CopyContentTo(Stream output, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            while (_unreadContent > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = ReadSome(buffer.AsSpan(0, (int)Math.Min(buffer.Length, _unreadContent)));
                output.Write(buffer, 0, read);
                _unreadContent -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void SkipContent()
    {
        CopyContentTo(Stream.Null, CancellationToken.None);
        Discard(_padding);
        _padding = 0;
    }

    private void Discard(long count)
    {
        Span<byte> buffer = stackalloc byte[BlockSize];
        while (count > 0)
        {
            int read = ReadSome(buffer[..(int)Math.Min(BlockSize, count)]);
            count -= read;
        }
    }

    private int ReadSome(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _input.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new ContainerizeException(ErrorCodes.CorruptLayer,
                $"The layer cannot be decompressed after '{_lastName}': {e.Message}. The download is corrupt; pull it again.", e);
        }
        if (read == 0) throw Corrupt("is truncated: the data ends inside an entry");
        return read;
    }

    /// <summary>Reads one block; false at the end-of-archive marker (a zero block).</summary>
    private bool ReadBlock(bool atHeader)
    {
        int total = 0;
        while (total < BlockSize)
        {
            int read;
            try
            {
                read = _input.Read(_block, total, BlockSize - total);
            }
            catch (InvalidDataException e)
            {
                throw new ContainerizeException(ErrorCodes.CorruptLayer,
                    $"The layer cannot be decompressed after '{_lastName}': {e.Message}. The download is corrupt; pull it again.", e);
            }
            if (read == 0)
            {
                throw new ContainerizeException(ErrorCodes.CorruptLayer,
                    $"The layer is truncated after '{_lastName}': it ends without the tar end-of-archive marker. The download is incomplete or corrupt; pull it again.");
            }
            total += read;
        }
        return !atHeader || _block.AsSpan().ContainsAnyExcept((byte)0);
    }

    private byte[] ReadMetadata(long size)
    {
        if (size > MaxMetadataSize) throw Corrupt($"has an extended header of {size} bytes, more than the {MaxMetadataSize} allowed");
        var data = new byte[size];
        int offset = 0;
        while (offset < data.Length) offset += ReadSome(data.AsSpan(offset));
        Discard(Padding(size));
        return data;
    }

    private void VerifyChecksum(ReadOnlySpan<byte> h)
    {
        long expected = ParseNumber(h.Slice(148, 8), "checksum");
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : h[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (expected != unsigned && expected != signed) throw Corrupt("has a header whose checksum does not match");
    }

    private long ParseNumber(ReadOnlySpan<byte> field, string what)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256: big-endian two's complement; the top bit of the first byte is the marker.
            bool negative = (field[0] & 0x40) != 0;
            byte fill = negative ? (byte)0xFF : (byte)0;
            long value = 0;
            for (int i = 0; i < field.Length; i++)
            {
                byte b = i == 0 && !negative ? (byte)(field[0] & 0x7F) : field[i];
                if (i < field.Length - 8)
                {
                    if (b != fill) throw Corrupt($"has a header {what} too large to handle");
                    continue;
                }
                value = (value << 8) | b;
            }
            return value;
        }
        long result = 0;
        bool digits = false;
        foreach (byte b in field)
        {
            if (b is 0 or (byte)' ')
            {
                if (digits) break;
                continue;
            }
            if (b is < (byte)'0' or > (byte)'7') throw Corrupt($"has a header {what} field that is not an octal number");
            if (result > long.MaxValue >> 3) throw Corrupt($"has a header {what} too large to handle");
            result = (result << 3) | (long)(b - '0');
            digits = true;
        }
        return result;
    }

    private long ParsePaxNumber(string text, string what) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Corrupt($"has an extended header {what} '{text}' that is not a number");

    /// <summary>PAX records "&lt;length&gt; &lt;key&gt;=&lt;value&gt;\n"; values stay bytes.</summary>
    private Dictionary<string, byte[]> ParsePax(byte[] data)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        int position = 0;
        while (position < data.Length)
        {
            if (data[position] == 0) break; // some writers pad with NULs
            int space = Array.IndexOf(data, (byte)' ', position);
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, position, space - position), out int length)
                || length <= space - position || position + length > data.Length || data[position + length - 1] != (byte)'\n')
            {
                throw Corrupt("has a malformed PAX extended header");
            }
            int end = position + length - 1;
            int equals = Array.IndexOf(data, (byte)'=', space + 1, end - space - 1);
            if (equals < 0) throw Corrupt("has a PAX record without '='");
            string key = Encoding.UTF8.GetString(data, space + 1, equals - space - 1);
            records[key] = data[(equals + 1)..end];
            position += length;
        }
        return records;
    }

    private static string? Text(Dictionary<string, byte[]>? pax, string key) =>
        pax is not null && pax.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;

    private static SortedDictionary<string, byte[]>? Xattrs(Dictionary<string, byte[]>? pax)
    {
        if (pax is null) return null;
        SortedDictionary<string, byte[]>? xattrs = null;
        foreach (var (key, value) in pax)
        {
            if (key.StartsWith(XattrPrefix, StringComparison.Ordinal) && key.Length > XattrPrefix.Length)
            {
                (xattrs ??= new(StringComparer.Ordinal))[key[XattrPrefix.Length..]] = value;
            }
        }
        return xattrs;
    }

    private static string HeaderName(ReadOnlySpan<byte> h)
    {
        string name = CString(h[..100]);
        // POSIX ustar ("ustar\0") splits long names into prefix + name; the GNU magic uses those bytes for other things.
        if (h.Slice(257, 6).SequenceEqual("ustar\0"u8) && CString(h.Slice(345, 155)) is { Length: > 0 } prefix) name = prefix + "/" + name;
        return name;
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    private static long Padding(long size) => (BlockSize - size % BlockSize) % BlockSize;

    private ContainerizeException Corrupt(string problem) =>
        new(ErrorCodes.CorruptLayer, $"The layer is corrupt at or after entry '{_lastName}': it {problem}. Pull or build the layer again.");
}
