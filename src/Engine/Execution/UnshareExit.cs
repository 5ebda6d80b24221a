namespace Containerize.Engine.Execution;

/// <summary>
/// How util-linux <c>unshare --fork</c> passes on the end of its child (the step's command, pid 1 of
/// its namespace): an exit code as its own; a death by signal N by killing itself with N, which the
/// launcher sees as 128 + N. Except SIGKILL in util-linux 2.38: <c>signal(SIGKILL, SIG_DFL)</c>
/// fails, and unshare exits 1 with "sigprocmask unblock failed" on its stderr, which the command no
/// longer shares (the helper joins the command's stderr to its stdout), so the line is unshare's own.
/// </summary>
internal static class UnshareExit
{
    private const string SigkillNotPassedOn = "unshare: sigprocmask unblock failed";

    public static bool IsSigkillReport(string stderrLine) => stderrLine.StartsWith(SigkillNotPassedOn, StringComparison.Ordinal);

    public static ContainerExit Interpret(int exitCode, bool sawSigkillReport) =>
        sawSigkillReport && exitCode == 1 ? new ContainerExit(128 + 9, 9) : new ContainerExit(exitCode);
}
