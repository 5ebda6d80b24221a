using System.Globalization;
using Containerize.Engine.Errors;

namespace Containerize.Engine.Build.Stages;

/// <summary>EXPOSE values as Docker reads them: <c>80</c>, <c>80/udp</c>, ranges like <c>8000-8002/tcp</c>.</summary>
public static class ExposedPorts
{
    private const int MaxRange = 65535;

    public static IEnumerable<string> Expand(string value, SourceLocation location)
    {
        string[] parts = value.Split('/');
        string protocol = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        string[] bounds = parts[0].Split('-');
        if (parts.Length > 2 || protocol is not ("tcp" or "udp" or "sctp") || bounds.Length > 2
            || !TryPort(bounds[0], out int first) || !TryPort(bounds[^1], out int last) || last < first)
        {
            throw new ContainerizeException(ErrorCodes.InvalidInstructionArgument,
                $"EXPOSE '{value}' is not a port: use a number from 1 to {MaxRange} or a range such as 8000-8010, optionally with /tcp, /udp or /sctp.", location);
        }
        for (int port = first; port <= last; port++) yield return $"{port}/{protocol}";
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= MaxRange;
}
