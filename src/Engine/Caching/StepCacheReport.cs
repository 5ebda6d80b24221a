namespace Containerize.Engine.Caching;

/// <summary>The one line a prune by hand prints (PruneContainerCache, <c>containerize prune</c>).</summary>
public static class StepCacheReport
{
    public static string Describe(StepCachePruneResult result, long limit, string storeRoot)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"Step cache in {storeRoot}: removed {result.RecordsRemoved} entries and {result.BlobsRemoved} layers, freed {ByteSize.Format(result.BytesFreed)}; "
            + $"{result.RecordsKept} entries ({ByteSize.Format(result.BytesKept)}) kept under {ByteSize.Format(limit)}";
    }
}
