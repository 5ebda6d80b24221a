using Containerize.Helper;
using static Containerize.Helper.Libc;

// containerize-helper launch <parent-pid> <program> <args...>
//                                                  exec program so that it dies with the build and inherits none of its descriptors (see Launch)
// containerize-helper run <scratch>                set up the container described by <scratch>/spec and exec its command
// containerize-helper chown <dir> <records>        give an unpacked layer the owners of its records  } inside a user namespace
// containerize-helper own <dir> <records>          hand a tree to the caller, recording what it had   } (see TreeCommands)
// containerize-helper remove <dir>                 delete a tree owned by mapped ids                  }
//
// A failure before the command runs prints "containerize-helper: error CTZ70xx: ..." to stderr, writes
// "CTZ70xx NUL message" to <scratch>/error and exits with SetupFailedExitCode, so the launcher can
// tell "the helper could not set up" from "the command exited N".
const int SetupFailedExitCode = 125;
const string Prefix = "containerize-helper: error";

if (args.Length >= 3 && args[0] == "launch")
{
    return Launch.Exec(args[1], args[2..], Prefix, SetupFailedExitCode);
}
if (args.Length == 2 && args[0] == "run")
{
    AssemblyPreloader.LoadAll();
    int scratchFd = open(args[1], O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
    if (scratchFd < 0)
    {
        Console.Error.WriteLine($"{Prefix} {HelperException.Setup}: cannot open {args[1]}: {ErrorText(Errno)}");
        return SetupFailedExitCode;
    }
    try
    {
        string specFile = Path.Combine(args[1], "spec");
        var spec = RunSpec.Parse(HelperFailure.Io($"read the step's spec {specFile}", () => File.ReadAllBytes(specFile)));
        new ContainerSetup(spec, scratchFd).Run();
        return SetupFailedExitCode; // Run only returns by exec or by throwing
    }
    catch (Exception e)
    {
        string code = e is HelperException h ? h.Code : HelperException.Setup;
        string message = HelperFailure.Describe(e);
        Console.Error.WriteLine($"{Prefix} {code}: {message}");
        try { ContainerSetup.WriteScratchFile(scratchFd, "error", $"{code}\0{message}"); } catch (Exception) { }
        return SetupFailedExitCode;
    }
}
if ((args.Length == 3 && args[0] is "chown" or "own") || (args.Length == 2 && args[0] == "remove"))
{
    try
    {
        switch (args[0])
        {
            case "chown": TreeCommands.ApplyOwners(args[1], args[2]); break;
            case "own": TreeCommands.TakeOwnership(args[1], args[2]); break;
            default: TreeCommands.Remove(args[1]); break;
        }
        return 0;
    }
    catch (Exception e)
    {
        string code = e is HelperException h ? h.Code : HelperException.Extract;
        Console.Error.WriteLine($"{Prefix} {code}: {HelperFailure.Describe(e)}");
        return SetupFailedExitCode;
    }
}
Console.Error.WriteLine($"{Prefix} {HelperException.Setup}: usage: containerize-helper launch <parent-pid> <program> <args...> | run <scratch> | chown <dir> <records> | own <dir> <records> | remove <dir>");
return SetupFailedExitCode;
