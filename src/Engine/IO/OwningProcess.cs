using System.Globalization;

namespace Containerize.Engine.IO;

/// <summary>
/// The process that made a temporary file or folder: its id and its start time (field 22 of
/// <c>/proc/&lt;pid&gt;/stat</c>, clock ticks after boot). The start time tells a recycled id from the
/// owner: a process with the same id that started at another time is not the owner, so what the
/// owner left is not kept forever.
/// </summary>
internal readonly record struct OwningProcess(int Id, ulong StartTime)
{
    private static readonly Lazy<OwningProcess> s_current = new(() =>
    {
        int id = Environment.ProcessId;
        return new OwningProcess(id, ReadStartTime(id) ?? 0);
    });

    public static OwningProcess Current => s_current.Value;

    /// <summary>
    /// Whether the owner still runs. A process this one cannot see (another PID namespace) counts as
    /// gone; without /proc (not Linux, or not mounted) every owner counts as running, so nothing is removed.
    /// </summary>
    public bool IsAlive => !s_processesVisible.Value || ReadStartTime(Id) == StartTime;

    private static readonly Lazy<bool> s_processesVisible = new(() => File.Exists("/proc/self/stat"));

    /// <summary>The start time of the process with this id, or null when there is none.</summary>
    private static ulong? ReadStartTime(int id)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{id.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int StartTimeAfterComm = 22 - 3;
        return fields.Length > StartTimeAfterComm && ulong.TryParse(fields[StartTimeAfterComm], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? start : null;
    }
}
