using System.Runtime.InteropServices;
using Containerize.Engine.Diagnostics;
using Containerize.HelperProtocol;

namespace Containerize.Engine.Execution;

/// <summary>
/// How the helper starts: its native build for this machine (containerize-helper-linux-x64, a few
/// milliseconds instead of a .NET start on every RUN step) when it ships beside the engine assembly
/// (the Containerize package puts both under tasks/&lt;framework&gt;/), else containerize-helper.dll
/// on the dotnet host that runs us (DOTNET_HOST_PATH when set, else this process when it is dotnet,
/// else dotnet on PATH). <see cref="Command"/> is the program and the arguments before the helper's own.
/// </summary>
public sealed class HelperLocation
{
    public const string AssemblyFileName = "containerize-helper.dll";

    private HelperLocation(IReadOnlyList<string> command) => Command = command;

    public IReadOnlyList<string> Command { get; }

    /// <summary>The native build's file name for this process's architecture, or null where none is built.</summary>
    public static string? NativeFileName => RuntimeInformation.ProcessArchitecture == Architecture.X64 && OperatingSystem.IsLinux()
        ? "containerize-helper-linux-x64" : null;

    /// <summary>
    /// How a program that serves a RUN step (util-linux <c>unshare</c>, the user-mode network stack)
    /// is started: through <c>containerize-helper launch</c>, which ties its life to this process and
    /// passes none of this process's descriptors on (start it with <see cref="ProcessLaunchThread"/>);
    /// every stream redirected, and no diagnostics IPC for the helper's .NET host (the helper execs
    /// the step's command, so the runtime would never remove its clr-debug-pipe and
    /// dotnet-diagnostic files from TMPDIR).
    /// </summary>
    public System.Diagnostics.ProcessStartInfo LaunchStartInfo(string program)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string part in Command.Skip(1)) start.ArgumentList.Add(part);
        start.ArgumentList.Add(HelperCommands.Launch);
        start.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(program);
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        return start;
    }

    /// <summary>The native helper where it ships and can be run, else the managed one.</summary>
    public static HelperLocation Find() => FindNative() ?? FindManaged();

    /// <summary>The helper dll on the dotnet host, even where a native build ships.</summary>
    public static HelperLocation FindManaged()
    {
        string helper = BesideEngine(AssemblyFileName);
        if (!File.Exists(helper))
        {
            throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound,
                $"The RUN helper {AssemblyFileName} is missing (looked for {helper}); it ships beside Containerize.Engine.dll: reinstall the Containerize package.");
        }
        string host = FindDotnet() ?? throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound,
            "RUN steps need the dotnet host to start their helper, but neither DOTNET_HOST_PATH nor this process nor PATH gives one.");
        return new HelperLocation([host, helper]);
    }

    private static HelperLocation? FindNative()
    {
        if (!OperatingSystem.IsLinux() || NativeFileName is not { } name) return null;
        string helper = BesideEngine(name);
        if (!File.Exists(helper)) return null;
        if (IO.Native.LibC.CanExecute(helper)) return new HelperLocation([helper]);
        // NuGet does not keep file modes: a helper fresh from the package may not be executable yet.
        const UnixFileMode executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        try
        {
            File.SetUnixFileMode(helper, File.GetUnixFileMode(helper) | executable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not ours to change (a shared, read-only package folder): the managed helper runs instead.
        }
        if (!IO.Native.LibC.CanExecute(helper)) return null;
        return new HelperLocation([helper]);
    }

    /// <summary>Beside the engine assembly, else (the engine's folder lacking it) beside the application.</summary>
    private static string BesideEngine(string fileName)
    {
        string besideEngine = Path.Combine(Path.GetDirectoryName(typeof(HelperLocation).Assembly.Location) ?? "", fileName);
        string besideApp = Path.Combine(AppContext.BaseDirectory, fileName);
        return File.Exists(besideEngine) || !File.Exists(besideApp) ? besideEngine : besideApp;
    }

    private static string? FindDotnet()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment)) return fromEnvironment;
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileName(self) == "dotnet") return self;
        return ExecutableSearch.Find("dotnet");
    }
}

/// <summary>Looks a program up on PATH like a shell does.</summary>
internal static class ExecutableSearch
{
    public static string? Find(string name, params string[] extraDirectories)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(extraDirectories);
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
