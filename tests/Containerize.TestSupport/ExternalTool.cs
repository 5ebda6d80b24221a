namespace Containerize.TestSupport;

/// <summary>
/// Runs an installed program the project did not write (GNU tar, skopeo, umoci, podman) as an
/// independent judge, synchronously, in the C.UTF-8 locale so its output is stable.
/// </summary>
public static class ExternalTool
{
    private static readonly Dictionary<string, string?> Locale = new() { ["LC_ALL"] = "C.UTF-8" };

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static ProcessResult Run(string name, params string[] arguments) => Run(name, arguments, null);

    public static ProcessResult RunIn(string? workingDirectory, string name, params string[] arguments) => Run(name, arguments, workingDirectory);

    public static ProcessResult Run(string name, IEnumerable<string> arguments, string? workingDirectory) =>
        ProcessRunner.RunAsync(name, arguments, workingDirectory, Locale, TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();

    /// <summary>Runs and asserts exit code 0, returning standard output.</summary>
    public static string RunChecked(string name, params string[] arguments) =>
        Run(name, arguments).EnsureSuccess($"{name} {string.Join(' ', arguments)}").StandardOutput;
}
