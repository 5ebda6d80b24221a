using System.Security.Cryptography;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Layers;

/// <summary>Passes writes through to another stream while hashing them (the diff ID of a layer is the hash of its tar).</summary>
internal sealed class HashingWriteStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public HashingWriteStream(Stream inner) => _inner = inner;

    public Digest GetDigest() => Digest.FromHash("sha256", _hash.GetHashAndReset());

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }

}
