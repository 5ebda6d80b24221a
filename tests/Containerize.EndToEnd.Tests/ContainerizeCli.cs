using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>The <c>containerize</c> command line of this repository (src/Cli, Release), built once per test run.</summary>
internal static class ContainerizeCli
{
    private static readonly Lazy<Task> Built = new(async () =>
        (await ProcessRunner.RunAsync("dotnet", "build", Path.Combine(RepositoryPaths.Root, "src", "Cli", "Containerize.Cli.csproj"), "-c", "Release", "-nologo", "-v:q"))
            .EnsureSuccess("dotnet build src/Cli"));

    public static string Dll { get; } = Path.Combine(RepositoryPaths.Root, "src", "Cli", "bin", "Release", "net8.0", "containerize.dll");

    public static Task EnsureBuiltAsync() => Built.Value;

    public static Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        await EnsureBuiltAsync();
        return await ProcessRunner.RunAsync("dotnet", [Dll, .. arguments], environment: environment);
    }

    public static Task AssertFailsWithAsync(string error, params string[] arguments) => AssertFailsWithAsync(error, null, arguments);

    /// <summary>Runs the command line and asserts it ended as a user error does: exit code 1, <paramref name="error"/> on stderr, no stack trace.</summary>
    public static async Task AssertFailsWithAsync(string error, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var result = await RunAsync(environment, arguments);
        Assert.AreEqual(1, result.ExitCode, result.Output);
        StringAssert.Contains(result.StandardError, error, result.Output);
        Assert.IsFalse(result.Output.Contains("   at ", StringComparison.Ordinal), $"no stack trace for a user error:\n{result.Output}");
    }
}
