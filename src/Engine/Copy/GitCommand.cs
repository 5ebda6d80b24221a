using System.ComponentModel;
using System.Diagnostics;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Copy;

/// <summary>
/// Runs the git program for a git source as BuildKit does: never prompting for credentials, without
/// the system-wide or the user's configuration, with none of the caller's GIT_* variables (a git
/// hook's GIT_DIR, GIT_CONFIG_COUNT …), fetching only over http, https, ssh and git (never file://
/// or ext::, whose URLs a hostile repository's submodules could name), killed (with its children)
/// when the copy is cancelled.
/// </summary>
internal sealed class GitCommand(string workingDirectory, GitSource source, CopyErrors errors)
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs git and returns its output; a non-zero exit is an error that says <paramref name="failure"/>.</summary>
    public async Task<string> RunCheckedAsync(string failure, CancellationToken ct, params string[] arguments)
    {
        var result = await RunAsync(ct, arguments).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw errors.Create(ErrorCodes.GitFetchFailed, $"ADD {failure} '{source.Display}': {Describe(result)}");
        }
        return result.Output;
    }

    public async Task<Result> RunAsync(CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (string name in start.Environment.Keys.Where(IsCallersGitVariable).ToList()) start.Environment.Remove(name);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_ALLOW_PROTOCOL"] = "http:https:ssh:git";
        start.Environment["GIT_ASKPASS"] = "true";
        start.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw errors.Create(ErrorCodes.GitFetchFailed,
                $"ADD needs the 'git' program to fetch '{source.Display}', and it could not be started ({e.Message}). Install git (e.g. apt-get install git) and make sure it is on PATH.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            return new Result(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }

    /// <summary>A GIT_* variable of the caller, except how ssh is run (the user's own choice for reaching ssh remotes).</summary>
    private static bool IsCallersGitVariable(string name) =>
        name.StartsWith("GIT_", StringComparison.Ordinal) && name is not ("GIT_SSH" or "GIT_SSH_COMMAND" or "GIT_SSH_VARIANT");

    public static string Describe(Result result)
    {
        string message = result.Error.Trim();
        if (message.Length == 0) message = result.Output.Trim();
        return $"git exited with code {result.ExitCode}" + (message.Length > 0 ? $": {message}" : "");
    }
}
