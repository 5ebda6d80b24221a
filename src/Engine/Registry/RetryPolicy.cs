using System.Net.Sockets;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Registry;

/// <summary>
/// Runs an operation again, whole, when it fails for a reason that may pass: a 5xx, 408 or 429
/// answer (honoring Retry-After) or a broken connection. Delays grow exponentially with jitter.
/// An operation is everything from sending the request to consuming its body, so a transfer
/// that breaks midway starts over.
/// </summary>
internal sealed class RetryPolicy(int maxRetries, TimeSpan baseDelay, IBuildLog log)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public async Task<T> RunAsync<T>(string registry, string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? requested = null;
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (TransientRegistryException e) when (attempt < maxRetries)
            {
                log.Detail($"{what}: {registry} answered {e.Message}; retrying ({attempt + 1}/{maxRetries}).");
                requested = e.RetryAfter;
            }
            catch (TransientRegistryException e)
            {
                throw new ContainerizeException(ErrorCodes.RegistryRequestFailed,
                    $"{what} failed: {registry} answered {e.Message} after {attempt + 1} attempts. The registry may be overloaded or down; try again later.", e);
            }
            catch (StalledTransferException e) when (attempt < maxRetries)
            {
                log.Detail($"{what}: {registry} sent {e.Message}; retrying ({attempt + 1}/{maxRetries}).");
            }
            catch (StalledTransferException e)
            {
                throw new ContainerizeException(ErrorCodes.RegistryTransferStalled,
                    $"{what} failed: {registry} sent {e.Message}, {attempt + 1} times. The registry or the network stalls; try again later, "
                    + $"or, on a slow network, raise the idle timeout: {NetworkIdleTimeout.Advice}.", e);
            }
            catch (Exception e) when (IsConnectionFault(e, cancellationToken) && attempt < maxRetries)
            {
                log.Detail($"{what}: the connection to {registry} failed ({e.Message}); retrying ({attempt + 1}/{maxRetries}).");
            }
            catch (Exception e) when (IsConnectionFault(e, cancellationToken))
            {
                throw new ContainerizeException(ErrorCodes.RegistryRequestFailed,
                    $"{what} failed: the connection to {registry} broke {attempt + 1} times ({e.Message}). Check the network and try again.", e);
            }
            await Task.Delay(DelayFor(attempt, requested), cancellationToken).ConfigureAwait(false);
        }
    }

    public int MaxRetries => maxRetries;

    /// <summary>Whether <paramref name="e"/> is worth another try.</summary>
    public static bool IsRetryable(Exception e, CancellationToken cancellationToken) =>
        e is TransientRegistryException || IsConnectionFault(e, cancellationToken);

    /// <summary>Waits before retry number <paramref name="attempt"/> (0-based) after <paramref name="failure"/>.</summary>
    public Task DelayAsync(int attempt, Exception failure, CancellationToken cancellationToken) =>
        Task.Delay(DelayFor(attempt, (failure as TransientRegistryException)?.RetryAfter), cancellationToken);

    private TimeSpan DelayFor(int attempt, TimeSpan? requested)
    {
        if (requested is { } r && r > TimeSpan.Zero) return r < MaxDelay ? r : MaxDelay;
        double factor = Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
        var delay = TimeSpan.FromMilliseconds(baseDelay.TotalMilliseconds * factor);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>A broken or timed-out transfer; not a refused connection, which retrying rarely fixes.</summary>
    internal static bool IsConnectionFault(Exception e, CancellationToken cancellationToken)
    {
        if (e is ContainerizeException) return false;
        if (e is OperationCanceledException) return !cancellationToken.IsCancellationRequested; // HttpClient's own timeout
        if (IsUnreachable(e)) return false;
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }) return false;
        return e is HttpRequestException or IOException;
    }

    /// <summary>Nobody listens there, or the name does not resolve.</summary>
    internal static bool IsUnreachable(Exception e)
    {
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }) return true;
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable or SocketError.NoData or SocketError.TryAgain })
            {
                return true;
            }
        }
        return false;
    }
}
