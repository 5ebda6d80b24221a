namespace Containerize.Engine.Solver;

/// <summary>
/// The bound on how many stages work at once. A free slot goes to the waiting stage that comes
/// first in the plan (dependencies before dependents), then to the one that asked first, so with
/// one slot the stages run one after another in plan order.
/// </summary>
internal sealed class StageSlots
{
    private readonly object _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, (int Position, long Order)> _waiting = new();
    private long _order;
    private int _free;

    public StageSlots(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _free = count;
    }

    /// <param name="position">The stage's place in the plan; lower goes first.</param>
    public Task AcquireAsync(int position, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (_gate)
        {
            // A free slot means nobody waits: Release hands a slot to a live waiter before freeing it.
            if (_free > 0)
            {
                _free--;
                return Task.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, (position, _order++));
        }
        return WaitAsync(waiter, ct);
    }

    public void Release()
    {
        lock (_gate)
        {
            // A cancelled waiter stays queued until here; it is skipped.
            while (_waiting.TryDequeue(out var next, out _))
            {
                if (next.TrySetResult()) return;
            }
            _free++;
        }
    }

    private static async Task WaitAsync(TaskCompletionSource waiter, CancellationToken ct)
    {
        using (ct.Register(() => waiter.TrySetCanceled(ct)))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }
}
