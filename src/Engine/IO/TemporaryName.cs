using System.Globalization;
using System.Text.RegularExpressions;

namespace Containerize.Engine.IO;

/// <summary>
/// Names of temporary files and folders that say which process made them:
/// <c>&lt;prefix&gt;&lt;pid&gt;-&lt;start time&gt;-&lt;32 hex digits&gt;</c>. What a killed build leaves has a
/// name whose owner is gone, and the next build removes it; what a running build uses is never
/// taken for that. A prefix ends in '-' or '.' (or is empty).
/// </summary>
internal static partial class TemporaryName
{
    public static string Create(string prefix)
    {
        if (prefix.Length > 0 && prefix[^1] is not ('-' or '.')) throw new ArgumentException($"A temporary name's prefix ends in '-' or '.': '{prefix}'.", nameof(prefix));
        var owner = OwningProcess.Current;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{owner.Id}-{owner.StartTime}-{Guid.NewGuid():N}");
    }

    /// <summary>The process the name says made it; null for a name <see cref="Create"/> did not make.</summary>
    public static OwningProcess? OwnerOf(string name)
    {
        var match = Pattern().Match(name);
        return match.Success
            && int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && ulong.TryParse(match.Groups["start"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? new OwningProcess(pid, start) : null;
    }

    /// <summary>
    /// The entries of <paramref name="directory"/> (a listing, nothing deeper) whose names say a
    /// process that is gone made them; entries named otherwise are never listed. Empty when the
    /// directory cannot be read.
    /// </summary>
    public static IReadOnlyList<string> AbandonedIn(string directory, string prefix = "")
    {
        var abandoned = new List<string>();
        try
        {
            foreach (string path in Directory.EnumerateFileSystemEntries(directory, prefix + "*"))
            {
                if (OwnerOf(Path.GetFileName(path)) is { IsAlive: false }) abandoned.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover only costs disk space.
        }
        return abandoned;
    }

    /// <summary>Removes what dead processes left in <paramref name="directory"/>: files, and folders with <paramref name="removeTree"/> (without it folders stay). Never throws; returns what went.</summary>
    public static ReclaimedSpace RemoveAbandonedIn(string directory, Action<string>? removeTree, string prefix = "")
    {
        var reclaimed = new ReclaimedSpace();
        foreach (string path in AbandonedIn(directory, prefix))
        {
            try
            {
                long size = ReclaimedSpace.SizeOf(path);
                if (!Directory.Exists(path) || File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint)) File.Delete(path);
                else if (removeTree is null) continue;
                else removeTree(path);
                if (!Path.Exists(path)) reclaimed += new ReclaimedSpace(1, size);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort, as above.
            }
        }
        return reclaimed;
    }

    [GeneratedRegex(@"(?:^|[-.])(?<pid>[0-9]{1,10})-(?<start>[0-9]{1,20})-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
