namespace Containerize.Engine.Layers;

/// <summary>
/// Sets the OS byte of the gzip header to 3 (Unix) whatever zlib was built for, so a layer
/// compressed on Windows has the digest it has on Linux. GZipStream already writes mtime 0.
/// </summary>
internal sealed class GzipHeaderNormalizingStream : Stream
{
    private const int OsByteOffset = 9;
    private const byte Unix = 3;
    private readonly Stream _inner;
    private long _position;

    public GzipHeaderNormalizingStream(Stream inner) => _inner = inner;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_position <= OsByteOffset && _position + buffer.Length > OsByteOffset)
        {
            byte[] copy = buffer.ToArray();
            copy[OsByteOffset - _position] = Unix;
            _inner.Write(copy);
        }
        else
        {
            _inner.Write(buffer);
        }
        _position += buffer.Length;
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _position;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
