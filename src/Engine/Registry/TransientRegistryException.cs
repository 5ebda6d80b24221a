using System.Net;

namespace Containerize.Engine.Registry;

/// <summary>A response worth trying again (5xx, 408, 429), with the delay the registry asked for, if any.</summary>
internal sealed class TransientRegistryException(HttpStatusCode status, string? registryMessage, TimeSpan? retryAfter)
    : Exception($"HTTP {(int)status} {status}{(registryMessage is null ? "" : ": " + registryMessage)}")
{
    public HttpStatusCode Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    public static async Task<TransientRegistryException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
        string? message = await RegistryErrorBody.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
        return new TransientRegistryException(response.StatusCode, message, retryAfter);
    }
}
