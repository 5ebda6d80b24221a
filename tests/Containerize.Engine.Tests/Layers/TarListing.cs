using System.Text.RegularExpressions;

namespace Containerize.Engine.Tests.Layers;

/// <summary>One line of `tar --numeric-owner --full-time -tvf`, split into its columns.</summary>
internal sealed partial record TarListing(string Mode, string Owner, string Size, string Time, string Name, string? Target)
{
    public static TarListing Parse(string line)
    {
        var m = LinePattern().Match(line);
        if (!m.Success) throw new AssertFailedException($"Unexpected tar listing line: {line}");
        string rest = m.Groups["rest"].Value;
        foreach (string separator in new[] { " -> ", " link to " })
        {
            int at = rest.IndexOf(separator, StringComparison.Ordinal);
            if (at >= 0) return new(m.Groups["mode"].Value, m.Groups["owner"].Value, m.Groups["size"].Value, m.Groups["time"].Value, rest[..at], rest[(at + separator.Length)..]);
        }
        return new(m.Groups["mode"].Value, m.Groups["owner"].Value, m.Groups["size"].Value, m.Groups["time"].Value, rest, null);
    }

    [GeneratedRegex(@"^(?<mode>\S+) +(?<owner>\S+) +(?<size>\S+) (?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<rest>.*)$")]
    private static partial Regex LinePattern();
}
