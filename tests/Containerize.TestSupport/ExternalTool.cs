using System.Diagnostics;

namespace Containerize.TestSupport;

/// <summary>Runs an installed program the project did not write (GNU tar, skopeo, umoci, podman) as an independent judge.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static Result Run(string name, params string[] arguments) => Run(name, arguments, null);

    public static Result RunIn(string? workingDirectory, string name, params string[] arguments) => Run(name, arguments, workingDirectory);

    public static Result Run(string name, IEnumerable<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(name)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', arguments)} did not finish in 2 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and asserts exit code 0, returning standard output.</summary>
    public static string RunChecked(string name, params string[] arguments)
    {
        var result = Run(name, arguments);
        if (result.ExitCode != 0) throw new AssertFailedException($"{name} {string.Join(' ', arguments)} failed: {result}");
        return result.StandardOutput;
    }
}
