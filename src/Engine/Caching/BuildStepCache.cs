using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Caching;

/// <summary>
/// The step cache as one build sees it: the store's records, the options (<c>--no-cache</c>,
/// per-stage filter), the content hashes computed so far, and how many steps ran or came from the
/// cache. Shared by stages running at the same time.
/// </summary>
internal sealed class BuildStepCache(StepCache store, StepCacheOptions options, IBuildLog log)
{
    private int _run;
    private int _cached;

    public ContentHasher Hasher { get; } = new();

    public int StepsRun => Volatile.Read(ref _run);

    public int StepsCached => Volatile.Read(ref _cached);

    /// <summary>The recorded result of a step, unless the stage must run anyway or the result is gone.</summary>
    public StepCacheRecord? Lookup(PlannedStage stage, Digest key) => options.MayUseCache(stage) ? store.TryGet(key) : null;

    public void CountCached() => Interlocked.Increment(ref _cached);

    /// <summary>Counts a step that ran and records its result; a record that cannot be written only costs the next build time.</summary>
    public void Record(Digest key, Layer? layer, string history, string created)
    {
        Interlocked.Increment(ref _run);
        try
        {
            store.Put(new StepCacheRecord { Key = key, Layer = layer?.Descriptor, DiffId = layer?.DiffId, History = history, Created = created });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Detail($"The step cache record {key} was not written: {e.Message}");
        }
    }
}
