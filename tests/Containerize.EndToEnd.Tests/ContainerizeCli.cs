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

    public static async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        await EnsureBuiltAsync();
        return await ProcessRunner.RunAsync("dotnet", [Dll, .. arguments]);
    }
}
