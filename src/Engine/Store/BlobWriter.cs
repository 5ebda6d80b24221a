using System.Security.Cryptography;
using Containerize.Engine.Errors;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Store;

/// <summary>
/// A write-only stream into a temporary file of the store that hashes what passes through.
/// Nothing is visible in the store until <see cref="Commit"/>; disposing without committing
/// deletes the temporary file.
/// </summary>
public sealed class BlobWriter : WriteOnlyStream
{
    private readonly BlobStore _store;
    private readonly string _algorithm;
    private readonly string _tempPath;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash;
    private bool _committed;

    internal BlobWriter(BlobStore store, string algorithm)
    {
        _store = store;
        _algorithm = algorithm;
        _tempPath = Path.Combine(store.TempDirectory, TemporaryName.Create("partial-"));
        _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _hash = IncrementalHash.CreateHash(algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    }

    /// <summary>Finishes the blob; when <paramref name="expected"/> is given, content that hashes otherwise is refused.</summary>
    public Digest Commit(Digest? expected = null)
    {
        if (_committed) throw new InvalidOperationException("The blob was already committed.");
        _file.Flush(flushToDisk: false);
        _file.Dispose();
        var actual = Digest.FromHash(_algorithm, _hash.GetHashAndReset());
        if (expected is { } e && e != actual)
        {
            File.Delete(_tempPath);
            _committed = true;
            throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                $"Content expected to be {e} hashed to {actual}; it was discarded. The source is corrupt or was changed in transit; try again.");
        }
        _store.Publish(_tempPath, actual);
        _committed = true;
        return actual;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _file.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
            if (!_committed)
            {
                try { File.Delete(_tempPath); } catch (IOException) { }
            }
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
}
