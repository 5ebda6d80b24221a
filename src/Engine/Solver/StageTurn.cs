namespace Containerize.Engine.Solver;

/// <summary>
/// The slot of one stage: held while its steps work, given back while it waits for another stage.
/// A stage's steps run one after another, so a turn is never taken or given back twice at once.
/// </summary>
internal sealed class StageTurn(StageSlots slots, int position)
{
    private bool _held;

    public async Task TakeAsync(CancellationToken ct)
    {
        await slots.AcquireAsync(position, ct).ConfigureAwait(false);
        _held = true;
    }

    public void GiveBack()
    {
        if (!_held) return;
        _held = false;
        slots.Release();
    }
}
