using Containerize.HelperProtocol;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// The first process of a RUN step (and of each process that serves it, such as its network
/// stack): asks the kernel to kill it when the build process goes (PR_SET_PDEATHSIG, kept through
/// the execve of an ordinary program), makes sure the build had not already gone, marks every
/// descriptor the build passed on close-on-exec, and execs the program. util-linux <c>unshare</c>
/// then hands the death on to the namespace's first process (<c>--kill-child</c>), whose end ends the
/// pid namespace: a build killed with SIGKILL leaves nothing running.
/// </summary>
internal static class Launch
{
    public static int Exec(string parentPid, string[] command)
    {
        if (!int.TryParse(parentPid, out int parent))
        {
            Console.Error.WriteLine(HelperFailureCodes.StderrLine(HelperFailureCodes.SetupFailed, $"launch: '{parentPid}' is not a process id"));
            return HelperFailureCodes.SetupFailedExitCode;
        }
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent) return HelperFailureCodes.SetupFailedExitCode; // the build is gone already
        try
        {
            InheritedDescriptors.CloseOnExec();
        }
        catch (HelperException e)
        {
            Console.Error.WriteLine(HelperFailureCodes.StderrLine(e.Code, e.Message));
            return HelperFailureCodes.SetupFailedExitCode;
        }
        string?[] argv = [.. command, null];
        execv(command[0], argv);
        Console.Error.WriteLine(HelperFailureCodes.StderrLine(HelperFailureCodes.SetupFailed, $"launch: exec {command[0]}: {ErrorText(Errno)}"));
        return HelperFailureCodes.SetupFailedExitCode;
    }
}
