namespace Containerize.Engine.IO;

/// <summary>
/// No byte arrived for the idle timeout. An <see cref="IOException"/>, so callers that retry a
/// broken connection retry a stalled one too.
/// </summary>
public sealed class StalledTransferException(TimeSpan idleTimeout, Exception? inner = null)
    : IOException($"no data for {idleTimeout.TotalSeconds:0.#} s", inner)
{
    public TimeSpan IdleTimeout { get; } = idleTimeout;
}
