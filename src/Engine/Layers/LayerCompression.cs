using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Layers;

/// <summary>Recognizes a layer's compression from its first bytes and returns a stream of the plain tar.</summary>
internal static class LayerCompression
{
    public static Stream OpenTar(Stream layer)
    {
        byte[] magic = new byte[4];
        int count = 0;
        while (count < magic.Length)
        {
            int read = layer.Read(magic, count, magic.Length - count);
            if (read == 0) break;
            count += read;
        }
        if (count == 0)
        {
            throw new ContainerizeException(ErrorCodes.CorruptLayer, "The layer is empty (0 bytes); a layer is at least a tar end-of-archive marker. Pull or build it again.");
        }
        Stream stream = new PrefixedReadStream(magic.AsMemory(0, count), layer);
        if (count >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return new GzipMembersStream(stream);
        if (count == 4 && magic is [0x28, 0xb5, 0x2f, 0xfd])
        {
            throw new ContainerizeException(ErrorCodes.UnsupportedFileType,
                "The layer is compressed with zstd, which is not supported yet. Use an image whose layers are gzip-compressed.");
        }
        return stream;
    }
}
