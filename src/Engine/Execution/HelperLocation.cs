using Containerize.Engine.Errors;

namespace Containerize.Engine.Execution;

/// <summary>
/// Where the helper is and which <c>dotnet</c> host starts it: the helper ships beside the engine
/// assembly (the Containerize package puts both under tasks/net8.0/), and runs on the host that runs
/// us (DOTNET_HOST_PATH when set, else this process when it is dotnet, else dotnet on PATH).
/// </summary>
public sealed record HelperLocation(string DotnetHost, string HelperAssembly)
{
    public const string AssemblyFileName = "containerize-helper.dll";

    /// <summary>
    /// How <c>unshare</c> is started on the way to the helper: every stream redirected, and no
    /// diagnostics IPC for the helper's .NET host (the helper execs the step's command, so the
    /// runtime would never remove its clr-debug-pipe and dotnet-diagnostic files from TMPDIR).
    /// </summary>
    public static System.Diagnostics.ProcessStartInfo UnshareStartInfo(string unshare)
    {
        var start = new System.Diagnostics.ProcessStartInfo(unshare)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        return start;
    }

    public static HelperLocation Find(string? helperAssembly = null, string? dotnetHost = null)
    {
        string besideEngine = Path.Combine(Path.GetDirectoryName(typeof(HelperLocation).Assembly.Location) ?? "", AssemblyFileName);
        string besideApp = Path.Combine(AppContext.BaseDirectory, AssemblyFileName);
        string helper = helperAssembly ?? (File.Exists(besideEngine) || !File.Exists(besideApp) ? besideEngine : besideApp);
        if (!File.Exists(helper))
        {
            throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound,
                $"The RUN helper {AssemblyFileName} is missing (looked for {helper}); it ships beside Containerize.Engine.dll: reinstall the Containerize package.");
        }
        string? host = dotnetHost ?? FindDotnet();
        if (host is null)
        {
            throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound,
                "RUN steps need the dotnet host to start their helper, but neither DOTNET_HOST_PATH nor this process nor PATH gives one.");
        }
        return new HelperLocation(host, helper);
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
