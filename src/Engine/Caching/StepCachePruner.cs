using System.Text.Json;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Caching;

/// <summary>What a prune removed and what it kept (sizes are compressed layer blobs).</summary>
public sealed record StepCachePruneResult(int RecordsRemoved, int BlobsRemoved, long BytesFreed, int RecordsKept, long BytesKept);

/// <summary>
/// Keeps the step cache under a size: records are kept newest-used first while the layer blobs
/// they reference fit in the limit; older records are removed, then every blob that only removed
/// records referenced, with the trees unpacked from it for RUN (<c>unpacked*/sha256/&lt;diff ID&gt;</c>).
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
            else TryDelete(path);
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
            TryDelete(path);
            removed.Add(record);
        }

        int blobsRemoved = 0;
        long bytesFreed = 0;
        var deleted = new HashSet<Digest>();
        foreach (var record in removed)
        {
            if (record.Layer is not { } layer || kept.Contains(layer.Digest) || !deleted.Add(layer.Digest)) continue;
            string blob = cache.Blobs.PathFor(layer.Digest);
            if (!File.Exists(blob)) continue;
            long size = new FileInfo(blob).Length;
            if (!TryDelete(blob)) continue;
            TryDelete(ImageFileSystem.LayerHeaderListing.PathFor(cache.Blobs.Root, layer.Digest));
            blobsRemoved++;
            bytesFreed += size;
            if (record.DiffId is { } diffId) RemoveUnpackedTrees(cache.Blobs.Root, diffId);
        }
        return new StepCachePruneResult(removed.Count, blobsRemoved, bytesFreed, recordsKept, keptBytes);
    }

    /// <summary>A layer's unpacked trees, one per overlay flavour and chain below it: renamed away first so no half-deleted tree is ever found in place.</summary>
    private static void RemoveUnpackedTrees(string storeRoot, Digest diffId)
    {
        foreach (string flavour in Directory.EnumerateDirectories(storeRoot, "unpacked*"))
        {
            string trees = Rootfs.UnpackedLayerStore.DiffIdFolder(flavour, diffId);
            if (!Directory.Exists(trees)) continue;
            string doomed = Path.Combine(flavour, "tmp", TemporaryName.Create($"{diffId.Hex}.pruned-"));
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(doomed)!);
                Directory.Move(trees, doomed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            ScratchDirectory.DeleteTree(doomed);
        }
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

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
