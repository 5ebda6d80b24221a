namespace Containerize.Engine.IO;

/// <summary>
/// A forward-only sink: subclasses implement <see cref="Write(ReadOnlySpan{byte})"/> and count
/// what passes in <see cref="BytesWritten"/>; reading and seeking are not supported.
/// </summary>
public abstract class WriteOnlyStream : Stream
{
    public long BytesWritten { get; protected set; }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
