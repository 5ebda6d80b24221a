using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// Both packages (Containerize, Containerize.Sdk) packed once per test run into a folder feed,
/// with a version of their own so no stale copy from an earlier run can be restored.
/// </summary>
internal static class PackageFeed
{
    private static readonly Lazy<Task<PackedFeed>> Packed = new(PackAsync);

    public static Task<PackedFeed> GetAsync() => Packed.Value;

    private static async Task<PackedFeed> PackAsync()
    {
        string root = Path.Combine(Path.GetTempPath(), $"ctz-e2e-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        string feed = Path.Combine(root, "feed");
        string packages = Path.Combine(root, "packages");
        string version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}";
        foreach (string project in new[] { "src/Tasks/Containerize.Tasks.csproj", "src/Sdk/Containerize.Sdk.csproj" })
        {
            (await ProcessRunner.RunAsync("dotnet",
                ["pack", Path.Combine(RepositoryPaths.Root, project), "-c", "Release", "-o", feed, $"-p:Version={version}", "-nodeReuse:false"],
                timeout: TimeSpan.FromMinutes(5))).EnsureSuccess($"dotnet pack {project}");
        }
        return new PackedFeed(feed, packages, version);
    }
}

/// <summary>A folder feed, the isolated NuGet packages folder that restores from it, and the packed version.</summary>
internal sealed record PackedFeed(string FeedDirectory, string PackagesDirectory, string Version);
