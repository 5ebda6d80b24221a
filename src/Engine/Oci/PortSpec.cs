using System.Globalization;

namespace Containerize.Engine.Oci;

/// <summary>
/// The port grammar of EXPOSE and ContainerPort: <c>80</c>, <c>80/udp</c>, or a range such as
/// <c>8000-8002/tcp</c>, each port 1–65535, protocol tcp (default), udp or sctp. Yields the
/// config's <c>ExposedPorts</c> keys (<c>80/tcp</c>).
/// </summary>
public static class PortSpec
{
    public const int MaxPort = 65535;

    public static bool TryParse(string text, out IReadOnlyList<string> ports)
    {
        ports = [];
        string[] parts = text.Trim().Split('/');
        string protocol = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        string[] bounds = parts[0].Split('-');
        if (parts.Length > 2 || protocol is not ("tcp" or "udp" or "sctp") || bounds.Length > 2
            || !TryPort(bounds[0], out int first) || !TryPort(bounds[^1], out int last) || last < first)
        {
            return false;
        }
        ports = Enumerable.Range(first, last - first + 1).Select(port => $"{port}/{protocol}").ToList();
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= MaxPort;
}
