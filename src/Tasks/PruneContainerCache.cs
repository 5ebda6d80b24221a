using Containerize.Engine.Builders;
using Containerize.Engine.Caching;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Microsoft.Build.Framework;

namespace Containerize.Tasks;

/// <summary>Removes what killed builds left, shrinks the step cache to a size (least recently used entries first), and says what it freed.</summary>
public sealed class PruneContainerCache : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    [Required] public string ProjectDirectory { get; set; } = "";

    public string? StorePath { get; set; }

    /// <summary>ContainerCacheMaxSize (e.g. 500MB, 10GB, 0 to empty the cache); empty = the default, 10 GB.</summary>
    public string? MaxSize { get; set; }

    [Output] public long BytesFreed { get; private set; }

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute() => TaskErrors.Run(Log, () =>
    {
        long limit = string.IsNullOrWhiteSpace(MaxSize) ? BuildSettings.DefaultCacheMaxSize : ByteSize.Parse(MaxSize, "ContainerCacheMaxSize");
        var store = new BlobStore(string.IsNullOrWhiteSpace(StorePath) ? BlobStore.DefaultRoot() : Path.GetFullPath(Path.Combine(ProjectDirectory, StorePath)), new TaskBuildLog(Log));
        Log.LogMessage(MessageImportance.High, KilledBuildLitter.Describe(store.ReclaimedOnOpen + KilledBuildLitter.Reclaim(store)));
        var result = StepCachePruner.PruneAsync(new StepCache(store), limit,
            () => Log.LogMessage(MessageImportance.High, "Waiting for the builds using the store to finish…"), _cancellation.Token).GetAwaiter().GetResult();
        BytesFreed = result.BytesFreed;
        Log.LogMessage(MessageImportance.High, StepCacheReport.Describe(result, limit, store.Root));
    }, _cancellation.Token);
}
