namespace Containerize.Engine.Solver;

/// <summary>
/// Work a build starts beside its stages (base layer downloads, context hashing) and stops when it
/// ends: disposing cancels it and waits for it, so nothing touches the store, the session or the
/// context after the build. Its failures are not reported here: the step that needs the result
/// does the work again and reports what is wrong.
/// </summary>
internal sealed class BackgroundWork : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    private BackgroundWork(CancellationTokenSource stop, Task work)
    {
        _stop = stop;
        Completion = work;
    }

    /// <summary>Completes when the work is done or stopped.</summary>
    public Task Completion { get; }

    public static BackgroundWork Start(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new BackgroundWork(stop, work(stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Left for the step that needs it, as above.
        }
        _stop.Dispose();
    }
}
