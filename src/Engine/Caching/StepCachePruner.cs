using System.Text.Json;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Caching;

/// <summary>What a prune removed and what it kept (sizes are compressed layer blobs).</summary>
public sealed record StepCachePruneResult(int RecordsRemoved, int BlobsRemoved, long BytesFreed, int RecordsKept, long BytesKept);

/// <summary>
/// Keeps the step cache under a size: records are kept newest-used first while the layer blobs
/// they reference fit in the limit; older records are removed, then every blob that only removed
/// records referenced, with what was derived from it (<see cref="LayerRemoval"/>).
/// Blobs no record points at (base-image layers, image configs and manifests) are never touched:
/// they are what base images and exports read, and are fetched again when missing. Pruning runs only
/// while no build uses the store (an exclusive lock), so it never removes what a running build uses.
/// </summary>
public static class StepCachePruner
{
    /// <returns>Null when a running build holds the store (nothing was pruned).</returns>
    public static StepCachePruneResult? TryPrune(StepCache cache, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cache);
        using var exclusive = cache.TryLockExclusively();
        if (exclusive is null) return null;
        return Prune(cache, maxBytes, ct);
    }

    /// <summary>Waits for running builds to finish, then prunes.</summary>
    public static async Task<StepCachePruneResult> PruneAsync(StepCache cache, long maxBytes, Action onWaiting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(onWaiting);
        bool announced = false;
        while (true)
        {
            if (TryPrune(cache, maxBytes, ct) is { } result) return result;
            if (!announced) onWaiting();
            announced = true;
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
    }

    private static StepCachePruneResult Prune(StepCache cache, long maxBytes, CancellationToken ct)
    {
        var records = new List<(string Path, DateTime Used, StepCacheRecord Record)>();
        foreach (string path in Directory.EnumerateFiles(cache.RecordDirectory))
        {
            ct.ThrowIfCancellationRequested();
            if (Read(path) is { } record) records.Add((path, File.GetLastWriteTimeUtc(path), record));
            else BestEffortDelete.File(path);
        }
        records.Sort((a, b) => b.Used.CompareTo(a.Used));

        var kept = new HashSet<Digest>();
        var removed = new List<StepCacheRecord>();
        long keptBytes = 0;
        int recordsKept = 0;
        foreach (var (path, _, record) in records)
        {
            long cost = record.Layer is { } layer && !kept.Contains(layer.Digest) ? layer.Size : 0;
            if (keptBytes + cost <= maxBytes)
            {
                if (record.Layer is { } keptLayer) kept.Add(keptLayer.Digest);
                keptBytes += cost;
                recordsKept++;
                continue;
            }
            BestEffortDelete.File(path);
            removed.Add(record);
        }

        int blobsRemoved = 0;
        long bytesFreed = 0;
        var deleted = new HashSet<Digest>();
        foreach (var record in removed)
        {
            if (record.Layer is not { } layer || kept.Contains(layer.Digest) || !deleted.Add(layer.Digest)) continue;
            if (LayerRemoval.TryRemove(cache.Blobs, layer.Digest, record.DiffId) is not { } size) continue;
            blobsRemoved++;
            bytesFreed += size;
        }
        return new StepCachePruneResult(removed.Count, blobsRemoved, bytesFreed, recordsKept, keptBytes);
    }

    private static StepCacheRecord? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), StepCacheJsonContext.Bound.StepCacheRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
