using System.Globalization;
using Containerize.Engine.Caching;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Solver;

/// <summary>
/// The one path every image is built by: the planned stages run at the same time under the
/// <see cref="StageScheduler"/>, each through its typed steps and the step cache; the target stage
/// goes to export while the store is in use; least recently used cache entries go once the build is reported.
/// </summary>
internal sealed class StepSolver
{
    private readonly StepCache _store;
    private readonly BuildSettings _settings;
    private readonly DateTimeOffset? _sourceDateEpoch;

    public StepSolver(BuildSettings settings, StepCacheOptions options, DateTimeOffset? sourceDateEpoch)
    {
        _settings = settings;
        _sourceDateEpoch = sourceDateEpoch;
        _store = new StepCache(settings.Store);
        Cache = new BuildStepCache(_store, options, settings.Log);
    }

    public BuildStepCache Cache { get; }

    /// <summary>
    /// Builds the stage with index <paramref name="target"/> of <paramref name="scheduler"/>'s stages (and those it reads),
    /// with <paramref name="background"/> work running meanwhile, and hands it to <paramref name="export"/>.
    /// </summary>
    public async Task<T> SolveAsync<T>(
        StageScheduler scheduler, int target, StageSources sources, RegistryBaseImageResolver images, RegistrySession session,
        Func<PlannedStage, StageRecipe> recipes, Func<CancellationToken, BackgroundWork[]> background, Func<BuiltStage, Task<T>> export,
        CancellationToken cancellationToken)
    {
        string created = (_sourceDateEpoch ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var executor = new StageExecutor(recipes, sources, images, session, _settings, _sourceDateEpoch, created, Cache);
        T result;
        using (await _store.UseAsync(cancellationToken).ConfigureAwait(false))
        {
            BuiltStage built;
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var work = background(stop.Token);
                try
                {
                    if (scheduler.StageCount > 1) _settings.Log.Detail($"Building {scheduler.StageCount} stages, up to {scheduler.Parallelism} at a time");
                    built = await scheduler.RunAsync(target,
                        (stage, position, ct) => executor.ExecuteAsync(stage, position + 1, scheduler.StageCount, ct), stop).ConfigureAwait(false);
                }
                finally
                {
                    for (int i = work.Length - 1; i >= 0; i--) await work[i].DisposeAsync().ConfigureAwait(false);
                }
            }
            result = await export(built).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>After the build, least recently used cache entries go while the cache is over its limit (skipped while another build runs).</summary>
    public void PruneCache(CancellationToken ct)
    {
        if (StepCachePruner.TryPrune(_store, _settings.CacheMaxSize, ct) is not { } pruned)
        {
            _settings.Log.Detail("Step cache not pruned: another build is using the store.");
            return;
        }
        if (pruned.RecordsRemoved > 0)
        {
            _settings.Log.Info($"Step cache over {ByteSize.Format(_settings.CacheMaxSize)}: removed {pruned.RecordsRemoved} least recently used entries, "
                + $"freed {ByteSize.Format(pruned.BytesFreed)}; {pruned.RecordsKept} entries ({ByteSize.Format(pruned.BytesKept)}) kept");
        }
    }
}
