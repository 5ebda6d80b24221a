using System.Security.Cryptography;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Microsoft.Win32.SafeHandles;

namespace Containerize.Engine.Store;

/// <summary>
/// A write-only stream into a temporary file of the store that hashes what passes through.
/// Nothing is visible in the store until <see cref="Commit"/>; disposing without committing
/// deletes the temporary file. A full file system (ENOSPC, EDQUOT) at any point is
/// <see cref="ErrorCodes.StoreFull"/>, with the temporary file removed.
/// </summary>
public sealed class BlobWriter : WriteOnlyStream
{
    private readonly BlobStore _store;
    private readonly string _algorithm;
    private readonly string _tempPath;
    private readonly SafeFileHandle _handle;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash;
    private bool _committed;
    private ContainerizeException? _full;

    internal BlobWriter(BlobStore store, string algorithm)
    {
        _store = store;
        _algorithm = algorithm;
        _tempPath = Path.Combine(store.TempDirectory, TemporaryName.Create("partial-"));
        try
        {
            _handle = File.OpenHandle(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException e) when (StoreFull.Is(e))
        {
            throw StoreFull.Error(store.Root, e);
        }
        _file = new FileStream(_handle, FileAccess.Write, 1 << 16);
        _hash = IncrementalHash.CreateHash(algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    }

    /// <summary>Finishes the blob; when <paramref name="expected"/> is given, content that hashes otherwise is refused.</summary>
    public Digest Commit(Digest? expected = null)
    {
        if (_committed) throw new InvalidOperationException("The blob was already committed.");
        if (_full is not null) throw _full;
        Guard(() => _file.Flush(flushToDisk: false));
        _file.Dispose();
        var actual = Digest.FromHash(_algorithm, _hash.GetHashAndReset());
        if (expected is { } e && e != actual)
        {
            File.Delete(_tempPath);
            _committed = true;
            throw new ContainerizeException(ErrorCodes.BlobDigestMismatch,
                $"Content expected to be {e} hashed to {actual}; it was discarded. The source is corrupt or was changed in transit; try again.");
        }
        Guard(() => _store.Publish(_tempPath, actual));
        _committed = true;
        return actual;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_full is not null) throw _full; // the streams above flush into it again as they are disposed
        _hash.AppendData(buffer);
        try
        {
            _file.Write(buffer);
        }
        catch (IOException e) when (StoreFull.Is(e))
        {
            throw Full(e);
        }
        BytesWritten += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_full is not null) throw _full;
        _hash.AppendData(buffer.Span);
        try
        {
            await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (StoreFull.Is(e))
        {
            throw Full(e);
        }
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_committed) DiscardBuffered();
            _handle.Dispose();
            _hash.Dispose();
            if (!_committed)
            {
                try { File.Delete(_tempPath); } catch (IOException) { }
            }
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (StoreFull.Is(e))
        {
            throw Full(e);
        }
    }

    /// <summary>Closes the file of a blob that is thrown away: what is still buffered need not reach the disk, and may not fit.</summary>
    private void DiscardBuffered()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // The flush of the buffer failed (a full disk); the handle is closed below and the file deleted.
        }
    }

    private ContainerizeException Full(IOException e)
    {
        DiscardBuffered();
        return _full = StoreFull.Error(_store.Root, e);
    }
}
