using System.Globalization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.IO;

/// <summary>
/// The idle timeout of network transfers (registry blobs and manifests, ADD &lt;url&gt;): how long a
/// response may send nothing before it counts as broken, as containerd and BuildKit give up on a
/// dead connection. Set by ContainerNetworkIdleTimeout, --network-idle-timeout or the environment.
/// </summary>
public static class NetworkIdleTimeout
{
    public const string EnvironmentVariable = "CONTAINERIZE_NETWORK_IDLE_TIMEOUT";

    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>How the user raises it, for error messages.</summary>
    public const string Advice = "ContainerNetworkIdleTimeout (MSBuild), --network-idle-timeout (CLI) or " + EnvironmentVariable + ", in seconds";

    /// <summary>Parses a number of seconds (above 0, at most a day) given as <paramref name="setting"/>; null for an empty value.</summary>
    public static TimeSpan? Parse(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && seconds > 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        throw new ContainerizeException(ErrorCodes.InvalidProperty,
            $"{setting} '{text}' is not a valid idle timeout: give a number of seconds above 0 (at most a day), for example 60.");
    }
}
