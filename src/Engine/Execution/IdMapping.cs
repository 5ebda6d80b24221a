using System.Globalization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Execution;

/// <summary>
/// Translates the owners found on the host side of a user namespace back to the ids the
/// container sees, as the kernel does for <c>/proc/&lt;pid&gt;/uid_map</c> (and gid_map). A rootless
/// RUN writes its upper directory with mapped host ids (the user's subuid range); the layer must
/// carry the container's ids.
/// </summary>
public sealed class IdMapping
{
    private readonly IdRange[] _ranges;

    public IdMapping(IEnumerable<IdRange> ranges)
    {
        _ranges = [.. ranges];
        foreach (var range in _ranges)
        {
            if (range.ContainerId < 0 || range.HostId < 0 || range.Count <= 0)
            {
                throw new ArgumentException($"The id range {range} is not valid: ids are non-negative and a range holds at least one id.", nameof(ranges));
            }
        }
    }

    /// <summary>No translation: the upper directory was written as root in the initial namespace.</summary>
    public static IdMapping Identity { get; } = new([]);

    public bool IsIdentity => _ranges.Length == 0;

    public IReadOnlyList<IdRange> Ranges => _ranges;

    /// <summary>Reads the text of a <c>uid_map</c>/<c>gid_map</c> file: lines of "container host count".</summary>
    public static IdMapping Parse(string mapText)
    {
        ArgumentNullException.ThrowIfNull(mapText);
        var ranges = new List<IdRange>();
        foreach (string line in mapText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3
                || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long container)
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long host)
                || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            {
                throw new FormatException($"'{line}' is not an id map line (container-id host-id count).");
            }
            ranges.Add(new IdRange(container, host, count));
        }
        return new IdMapping(ranges);
    }

    /// <summary>The container's id for a host id; an id outside every range is an error naming <paramref name="path"/>.</summary>
    public long ToContainer(long hostId, string kind, string path)
    {
        if (IsIdentity) return hostId;
        foreach (var range in _ranges)
        {
            if (hostId >= range.HostId && hostId - range.HostId < range.Count) return range.ContainerId + (hostId - range.HostId);
        }
        throw new ContainerizeException(ErrorCodes.UpperOwnerNotMapped,
            $"'{path}' is owned by host {kind} {hostId}, which is outside the user namespace's mapping ({Describe()}), so the layer cannot say which {kind} owns it inside the image. "
            + "Something outside the RUN step wrote into its directory; build again.");
    }

    private string Describe() => string.Join(", ", _ranges.Select(r => $"{r.ContainerId}-{r.ContainerId + r.Count - 1} → {r.HostId}-{r.HostId + r.Count - 1}"));
}
