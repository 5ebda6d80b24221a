namespace Containerize.EndToEnd.Tests;

/// <summary>Folders of this repository, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Containerize.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Containerize.sln not found above {AppContext.BaseDirectory}");
    }
}
