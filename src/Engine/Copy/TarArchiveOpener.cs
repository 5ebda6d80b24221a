using System.IO.Compression;

namespace Containerize.Engine.Copy;

/// <summary>
/// Recognizes a local tar archive for ADD by its content, not its name: gzip, bzip2 and xz by their
/// magic bytes, then a valid tar header in the (decompressed) first block. bzip2 and xz have no
/// decoder in .NET, so the system's <c>bzip2</c>/<c>xz</c> programs decompress them.
/// </summary>
internal static class TarArchiveOpener
{
    private const int BlockSize = 512;

    /// <summary>A fresh stream of the plain tar when the file is a (compressed) tar archive; null otherwise.</summary>
    public static Stream? TryOpen(string path, CopyErrors errors)
    {
        byte[] block = new byte[BlockSize];
        using (var probe = OpenDecompressed(path, errors))
        {
            if (probe.ReadAtLeast(block, BlockSize, throwOnEndOfStream: false) < BlockSize || !IsTarHeader(block)) return null;
        }
        return OpenDecompressed(path, errors);
    }

    private static Stream OpenDecompressed(string path, CopyErrors errors)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        byte[] magic = new byte[6];
        int count = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (count >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return new GZipStream(file, CompressionMode.Decompress);
        if (count >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') return Decompress(file, path, "bzip2", errors);
        if (count == 6 && magic is [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) return Decompress(file, path, "xz", errors);
        return file;
    }

    private static Stream Decompress(FileStream file, string path, string tool, CopyErrors errors)
    {
        file.Dispose();
        return DecompressorProcess.Start(tool, path, errors);
    }

    /// <summary>A tar header block is valid when its checksum field equals the byte sum with that field read as spaces (what Go's archive/tar checks).</summary>
    internal static bool IsTarHeader(ReadOnlySpan<byte> block)
    {
        if (!block.ContainsAnyExcept((byte)0)) return false;
        var field = block.Slice(148, 8);
        long stored = 0;
        bool digits = false;
        foreach (byte b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7') { stored = stored * 8 + (b - '0'); digits = true; }
            else if (b is 0 or (byte)' ' && digits) break;
            else if (b is not (0 or (byte)' ')) return false;
        }
        if (!digits) return false;
        long sum = 0;
        for (int i = 0; i < BlockSize; i++) sum += i is >= 148 and < 156 ? ' ' : block[i];
        return sum == stored;
    }
}
