using System.Runtime.InteropServices;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Layers;

/// <summary>
/// Decompresses gzip as Go's gzip reader (multistream, the default) does: one or more members, each
/// checked against its CRC-32 and ISIZE; anything after a member that is not another member, and a
/// stream that ends inside a member, is an <see cref="InvalidDataException"/> that says which and at
/// which compressed byte. (.NET's GZipStream accepts both silently.)
/// </summary>
internal sealed class GzipMembersStream : ReadOnlyStream
{
    private const int BufferSize = 1 << 16;

    private readonly Stream _inner;
    private readonly byte[] _input = new byte[BufferSize];
    private readonly byte[] _output = new byte[BufferSize];
    private readonly Zlib.ZStream[] _zlib = new Zlib.ZStream[1]; // pinned: zlib's state points back at its z_stream
    private GCHandle _pinnedZlib, _pinnedInput, _pinnedOutput;
    private int _inputStart, _inputEnd;
    private long _consumedBefore; // compressed bytes before _input[0]
    private bool _innerEnded, _finished, _initialized;
    private int _member = 1;

    public GzipMembersStream(Stream inner)
    {
        _inner = inner;
        _pinnedZlib = GCHandle.Alloc(_zlib, GCHandleType.Pinned);
        _pinnedInput = GCHandle.Alloc(_input, GCHandleType.Pinned);
        _pinnedOutput = GCHandle.Alloc(_output, GCHandleType.Pinned);
        int started;
        try
        {
            started = Zlib.InflateInit(ref _zlib[0]);
        }
        catch (DllNotFoundException e)
        {
            Dispose();
            throw new ContainerizeException(ErrorCodes.ZlibUnavailable,
                $"Layers cannot be decompressed: zlib ({e.Message}) is not installed. Install it (Debian and Ubuntu: zlib1g; Fedora: zlib; Alpine: zlib).", e);
        }
        if (started != Zlib.Ok)
        {
            Dispose();
            throw new InvalidOperationException("zlib could not start inflating (out of memory).");
        }
        _initialized = true;
    }

    ~GzipMembersStream() => Dispose(false);

    private long Offset => _consumedBefore + _inputStart;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(!_initialized, this);
        if (buffer.IsEmpty) return 0;
        while (!_finished)
        {
            if (_inputStart == _inputEnd) Fill();
            ref var z = ref _zlib[0];
            int available = _inputEnd - _inputStart;
            z.NextIn = _pinnedInput.AddrOfPinnedObject() + _inputStart;
            z.AvailIn = (uint)available;
            z.NextOut = _pinnedOutput.AddrOfPinnedObject();
            z.AvailOut = (uint)Math.Min(buffer.Length, _output.Length);
            int result = Zlib.Inflate(ref z, Zlib.NoFlush);
            int produced = (int)(Math.Min(buffer.Length, _output.Length) - z.AvailOut);
            _inputStart += available - (int)z.AvailIn;
            _output.AsSpan(0, produced).CopyTo(buffer);
            switch (result)
            {
                case Zlib.StreamEnd:
                    StartNextMember();
                    break;
                case Zlib.Ok or Zlib.BufferError:
                    if (produced == 0 && _inputStart == _inputEnd && _innerEnded)
                    {
                        throw new InvalidDataException($"the gzip stream is truncated: it ends inside member {_member}, after {Offset} compressed bytes");
                    }
                    break;
                default:
                    throw new InvalidDataException(Describe(result, Zlib.MessageOf(z)));
            }
            if (produced > 0) return produced;
        }
        return 0;
    }

    /// <summary>After a member: the end of the stream, another member (its magic bytes), or bytes that are neither.</summary>
    private void StartNextMember()
    {
        while (_inputEnd - _inputStart < 2 && !_innerEnded) Fill();
        int left = _inputEnd - _inputStart;
        if (left == 0)
        {
            _finished = true;
            return;
        }
        if (left < 2 || _input[_inputStart] != 0x1f || _input[_inputStart + 1] != 0x8b)
        {
            throw new InvalidDataException($"the gzip stream has bytes after its end that are not another gzip member, at compressed byte {Offset} (after member {_member})");
        }
        Zlib.InflateReset(ref _zlib[0]);
        _member++;
    }

    /// <summary>Keeps unused input at the buffer's start and reads more after it.</summary>
    private void Fill()
    {
        if (_innerEnded) return;
        if (_inputStart > 0)
        {
            _input.AsSpan(_inputStart, _inputEnd - _inputStart).CopyTo(_input);
            _consumedBefore += _inputStart;
            _inputEnd -= _inputStart;
            _inputStart = 0;
        }
        int read = _inner.Read(_input, _inputEnd, _input.Length - _inputEnd);
        if (read == 0) _innerEnded = true;
        _inputEnd += read;
    }

    private string Describe(int result, string? zlibMessage) => zlibMessage switch
    {
        "incorrect data check" => $"the CRC-32 of gzip member {_member} does not match its content (near compressed byte {Offset})",
        "incorrect length check" => $"the ISIZE of gzip member {_member} does not match its content's length (near compressed byte {Offset})",
        null => $"gzip member {_member} cannot be inflated (zlib error {result}) near compressed byte {Offset}",
        _ => $"gzip member {_member} is damaged near compressed byte {Offset}: {zlibMessage}",
    };

    protected override void Dispose(bool disposing)
    {
        if (_initialized)
        {
            Zlib.InflateEnd(ref _zlib[0]);
            _initialized = false;
        }
        if (_pinnedZlib.IsAllocated) _pinnedZlib.Free();
        if (_pinnedInput.IsAllocated) _pinnedInput.Free();
        if (_pinnedOutput.IsAllocated) _pinnedOutput.Free();
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
