namespace Containerize.Engine.IO;

/// <summary>
/// Sends a request without a body and waits for its headers no longer than the idle timeout: a
/// server that accepted the connection and then went silent is a stalled transfer
/// (<see cref="StalledTransferException"/>), like a body that stops (<see cref="IdleTimeoutStream"/>).
/// </summary>
public static class IdleTimedRequest
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StalledTransferException(idleTimeout, e);
        }
    }
}
