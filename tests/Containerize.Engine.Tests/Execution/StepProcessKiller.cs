using System.Runtime.InteropServices;
using System.Text;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// Kills a step's process from outside, as an operator or the kernel's OOM killer would: the process
/// is found by a marker in its environment (the test gives it one), waited for until it exists.
/// </summary>
internal static class StepProcessKiller
{
    public static string NewMarker() => $"CTZ_KILL_ME={Guid.NewGuid():N}";

    /// <summary>The pid (in this pid namespace) of the process whose environment holds <paramref name="marker"/>.</summary>
    public static async Task<int> FindAsync(string marker, CancellationToken cancellationToken)
    {
        byte[] wanted = Encoding.UTF8.GetBytes(marker);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId) continue;
                byte[] environ;
                try { environ = File.ReadAllBytes(Path.Combine(dir, "environ")); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                if (environ.AsSpan().IndexOf(wanted) >= 0) return pid;
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    public static async Task KillAsync(string marker, int signal, CancellationToken cancellationToken)
    {
        int pid = await FindAsync(marker, cancellationToken);
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill {pid} {signal}: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
