using Containerize.Helper;
using Containerize.HelperProtocol;
using static Containerize.Helper.Libc;

// containerize-helper launch <parent-pid> <program> <args...>
//                                                  exec program so that it dies with the build and inherits none of its descriptors (see Launch)
// containerize-helper run <scratch>                set up the container described by <scratch>/spec and exec its command
// containerize-helper chown <dir> <records>        give an unpacked layer the owners of its records  } inside a user namespace
// containerize-helper own <dir> <records>          hand a tree to the caller, recording what it had   } (see TreeCommands)
// containerize-helper remove <dir>                 delete a tree owned by mapped ids                  }
//
// A failure before the command runs is reported as HelperFailureCodes says (stderr, <scratch>/error,
// the exit code), so the launcher can tell "the helper could not set up" from "the command exited N".
const int SetupFailedExitCode = HelperFailureCodes.SetupFailedExitCode;

if (args.Length >= 3 && args[0] == HelperCommands.Launch)
{
    return Launch.Exec(args[1], args[2..]);
}
if (args.Length == 2 && args[0] == HelperCommands.Run)
{
    AssemblyPreloader.LoadAll();
    int scratchFd = open(args[1], O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
    if (scratchFd < 0)
    {
        Console.Error.WriteLine(HelperFailureCodes.StderrLine(HelperFailureCodes.SetupFailed, $"cannot open {args[1]}: {ErrorText(Errno)}"));
        return SetupFailedExitCode;
    }
    try
    {
        string specFile = Path.Combine(args[1], HelperScratchFiles.Spec);
        var spec = ReadSpec(HelperFailure.Io($"read the step's spec {specFile}", () => File.ReadAllBytes(specFile)));
        new ContainerSetup(spec, scratchFd).Run();
        return SetupFailedExitCode; // Run only returns by exec or by throwing
    }
    catch (Exception e)
    {
        string code = e is HelperException h ? h.Code : HelperFailureCodes.SetupFailed;
        string message = HelperFailure.Describe(e);
        Console.Error.WriteLine(HelperFailureCodes.StderrLine(code, message));
        try { ContainerSetup.WriteScratchFile(scratchFd, HelperScratchFiles.Error, HelperErrorReport.Format(code, message)); } catch (Exception) { }
        return SetupFailedExitCode;
    }
}
if ((args.Length == 3 && args[0] is HelperCommands.ApplyOwners or HelperCommands.TakeOwnership) || (args.Length == 2 && args[0] == HelperCommands.Remove))
{
    try
    {
        switch (args[0])
        {
            case HelperCommands.ApplyOwners: TreeCommands.ApplyOwners(args[1], args[2]); break;
            case HelperCommands.TakeOwnership: TreeCommands.TakeOwnership(args[1], args[2]); break;
            default: TreeCommands.Remove(args[1]); break;
        }
        return 0;
    }
    catch (Exception e)
    {
        string code = e is HelperException h ? h.Code : HelperFailureCodes.LayerUnpackInNamespaceFailed;
        Console.Error.WriteLine(HelperFailureCodes.StderrLine(code, HelperFailure.Describe(e)));
        return SetupFailedExitCode;
    }
}
Console.Error.WriteLine(HelperFailureCodes.StderrLine(HelperFailureCodes.SetupFailed, $"usage: containerize-helper launch <parent-pid> <program> <args...> | run <scratch> | chown <dir> <records> | own <dir> <records> | remove <dir>"));
return SetupFailedExitCode;

static HelperRunSpec ReadSpec(byte[] data)
{
    try { return HelperRunSpecFormat.Decode(data); }
    catch (InvalidDataException e) { throw new HelperException(HelperFailureCodes.SetupFailed, e.Message); }
}
