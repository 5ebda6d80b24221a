using System.Text.Json;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Caching;

/// <summary>
/// The step cache of a store: one small JSON record per key under
/// <c>cache/records/sha256/&lt;hex&gt;</c>, pointing at a layer blob of the same store. A record is
/// written to a temporary file and renamed into place only after its blob is complete, so a build
/// killed at any moment leaves either no record or a whole one; a record whose blob has gone
/// (pruned, deleted by hand) is a miss, never a broken image. A hit touches the record's time,
/// which is what least-recently-used pruning orders by. Builds hold a shared lock on
/// <c>cache/builds.lock</c> while they run; pruning takes it exclusively, so it never removes
/// what a running build uses. Temporary records of killed builds go when the cache is next opened.
/// </summary>
public sealed class StepCache
{
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(50);

    public StepCache(BlobStore blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        Blobs = blobs;
        Root = blobs.Layout.StepCacheFolder;
        Directory.CreateDirectory(RecordDirectory);
        Directory.CreateDirectory(TempDirectory);
        if (!File.Exists(LockPath)) File.WriteAllBytes(LockPath, []);
        ReclaimedOnOpen = TemporaryName.RemoveAbandonedIn(TempDirectory, ScratchDirectory.DeleteTree);
    }

    public BlobStore Blobs { get; }

    /// <summary>The temporary records of killed builds removed when the cache was opened.</summary>
    public ReclaimedSpace ReclaimedOnOpen { get; }

    public string Root { get; }

    internal string RecordDirectory => Blobs.Layout.StepCacheRecordFolder;

    internal string TempDirectory => Blobs.Layout.StepCacheTempFolder;

    internal string LockPath => Blobs.Layout.BuildsLockPath;

    /// <summary>The record of a step whose result is still complete in the store, or null.</summary>
    public StepCacheRecord? TryGet(Digest key)
    {
        string path = RecordPath(key);
        StepCacheRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(File.ReadAllBytes(path), StepCacheJsonContext.Bound.StepCacheRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
        if (record is null || record.Key != key) return null;
        if (record.Layer is { } layer && (record.DiffId is null || !Blobs.Contains(layer.Digest))) return null;
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another build is replacing the same record, or the store is read-only: the hit stands.
        }
        return record;
    }

    /// <summary>Records a step's result; its layer blob must already be in the store.</summary>
    public void Put(StepCacheRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Layer is { } layer && !Blobs.Contains(layer.Digest))
        {
            throw new InvalidOperationException($"The layer {layer.Digest} is not in the store; a record must never point at a missing blob.");
        }
        string temp = Path.Combine(TempDirectory, TemporaryName.Create("record-"));
        File.WriteAllBytes(temp, OciJson.Serialize(record, StepCacheJsonContext.Bound.StepCacheRecord));
        File.Move(temp, RecordPath(record.Key), overwrite: true);
    }

    internal string RecordPath(Digest key) => Blobs.Layout.StepCacheRecordPath(key);

    /// <summary>
    /// Marks the store as used by a running build until disposed (a shared lock). Waits while a
    /// prune holds the lock exclusively.
    /// </summary>
    public async Task<IDisposable> UseAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetry, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The exclusive lock pruning needs, or null while a build uses the store.</summary>
    internal FileStream? TryLockExclusively()
    {
        try
        {
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
