namespace Containerize.Engine.Execution;

/// <summary>
/// How a container's command ended: its exit code, and the signal when one is known to have killed it
/// (the exit code is then 128 + the signal, as Docker reports it).
/// </summary>
public readonly record struct ContainerExit(int ExitCode, int? Signal = null)
{
    /// <summary>
    /// For a message: "exit code 3"; "killed by SIGKILL (exit code 137): out of memory, or killed from
    /// outside?"; for a shell's 128+N exit code, what that usually means.
    /// </summary>
    public string Describe()
    {
        if (Signal is { } signal) return $"was killed by {ProcessSignals.Name(signal)} (exit code {ExitCode}): {ProcessSignals.Meaning(signal)}";
        if (ExitCode is > 128 and < 128 + 65)
        {
            int n = ExitCode - 128;
            return $"failed with exit code {ExitCode} (128+{n}: it, or a process it waited for, was killed by {ProcessSignals.Name(n)}: {ProcessSignals.Meaning(n)})";
        }
        return $"failed with exit code {ExitCode}";
    }
}
