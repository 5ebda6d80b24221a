using System.Runtime.ExceptionServices;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Solver;

/// <summary>
/// Runs the planned stages at the same time, at most <c>parallelism</c> of them working at once.
/// Every stage starts right away and runs its steps until one needs another stage
/// (<c>FROM stage</c>, <c>COPY --from</c>, <c>RUN --mount=from=</c>): <see cref="StageAsync"/> then
/// gives its slot back while it waits, so a bound of 1 cannot deadlock. The plan holds each needed
/// stage once, so a stage several others read is built once. The first failure cancels the other
/// stages; once every stage has stopped (its RUN processes killed, its scratch space removed), that
/// failure is what the build reports, not the cancellations it caused.
/// </summary>
internal sealed class StageScheduler
{
    private readonly IReadOnlyList<PlannedStage> _stages;
    private readonly StageSlots _slots;
    private readonly Dictionary<int, TaskCompletionSource<BuiltStage>> _results;
    // Which stage's turn the current async flow runs on: found where a step waits for another stage,
    // deep in the step's code, without handing the turn through every call.
    private readonly AsyncLocal<StageTurn?> _turn = new();
    private readonly object _gate = new();
    private ExceptionDispatchInfo? _firstFailure;

    public StageScheduler(IReadOnlyList<PlannedStage> stages, int parallelism)
    {
        _stages = stages;
        _slots = new StageSlots(parallelism);
        Parallelism = parallelism;
        _results = stages.ToDictionary(s => s.Index, _ => new TaskCompletionSource<BuiltStage>(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public int Parallelism { get; }

    public int StageCount => _stages.Count;

    /// <summary>
    /// Runs every stage with <paramref name="execute"/> (given the stage, its 0-based place in the
    /// plan and the token that stops it) and returns the stage with index <paramref name="target"/>.
    /// <paramref name="stop"/> is cancelled on the first failure.
    /// </summary>
    public async Task<BuiltStage> RunAsync(
        int target, Func<PlannedStage, int, CancellationToken, Task<BuiltStage>> execute, CancellationTokenSource stop)
    {
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentNullException.ThrowIfNull(stop);
        var runs = _stages.Select((stage, position) => RunStageAsync(stage, position, execute, stop)).ToList();
        await Task.WhenAll(runs).ConfigureAwait(false);
        _firstFailure?.Throw();
        stop.Token.ThrowIfCancellationRequested();
        return await _results[target].Task.ConfigureAwait(false);
    }

    /// <summary>The built stage with this index, once it is done; the calling stage's slot is free meanwhile.</summary>
    public async Task<BuiltStage> StageAsync(int index, CancellationToken ct)
    {
        var result = _results[index].Task;
        if (result.IsCompletedSuccessfully) return result.Result;
        var turn = _turn.Value;
        turn?.GiveBack();
        var built = await result.WaitAsync(ct).ConfigureAwait(false);
        if (turn is not null) await turn.TakeAsync(ct).ConfigureAwait(false);
        return built;
    }

    /// <summary>A stage that is done; asking for one that is not is a bug of the caller, which must wait with <see cref="StageAsync"/> first.</summary>
    public BuiltStage Built(int index) => _results[index].Task is { IsCompletedSuccessfully: true } done
        ? done.Result
        : throw new InvalidOperationException($"Stage {index} is not built yet; wait for it first.");

    private async Task RunStageAsync(PlannedStage stage, int position, Func<PlannedStage, int, CancellationToken, Task<BuiltStage>> execute, CancellationTokenSource stop)
    {
        var ct = stop.Token;
        var turn = new StageTurn(_slots, position);
        var result = _results[stage.Index];
        try
        {
            await turn.TakeAsync(ct).ConfigureAwait(false);
            _turn.Value = turn;
            result.TrySetResult(await execute(stage, position, ct).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            // A cancellation that the stop token explains is a consequence, not a cause.
            if (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                lock (_gate) _firstFailure ??= ExceptionDispatchInfo.Capture(e);
                await stop.CancelAsync().ConfigureAwait(false);
            }
            result.TrySetCanceled(ct.IsCancellationRequested ? ct : new CancellationToken(canceled: true));
        }
        finally
        {
            turn.GiveBack();
        }
    }
}
