using Containerize.Engine.IO;

namespace Containerize.Engine.Layers;

/// <summary>
/// Sets the OS byte of the gzip header to 3 (Unix) whatever zlib was built for, so a layer
/// compressed on Windows has the digest it has on Linux. GZipStream already writes mtime 0.
/// </summary>
internal sealed class GzipHeaderNormalizingStream : WriteOnlyStream
{
    private const int OsByteOffset = 9;
    private const byte Unix = 3;
    private readonly Stream _inner;

    public GzipHeaderNormalizingStream(Stream inner) => _inner = inner;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (BytesWritten <= OsByteOffset && BytesWritten + buffer.Length > OsByteOffset)
        {
            byte[] copy = buffer.ToArray();
            copy[OsByteOffset - BytesWritten] = Unix;
            _inner.Write(copy);
        }
        else
        {
            _inner.Write(buffer);
        }
        BytesWritten += buffer.Length;
    }

    public override void Flush() => _inner.Flush();
}
