using System.Text.Json;

namespace Containerize.TestSupport;

/// <summary>
/// The external conformance corpora, kept in the repository under <c>tests/conformance</c> (a
/// copy of the shared corpora, data and upstream licences only), found by walking up from the
/// test assembly to the repository root.
/// </summary>
public static class ConformanceData
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The repository's root folder (the one holding Containerize.sln).</summary>
    public static string RepositoryRoot => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", ".."));

    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static byte[] ReadBytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    /// <summary>Parses a corpus JSON file; the caller disposes the document.</summary>
    public static JsonDocument LoadJson(params string[] parts) => JsonDocument.Parse(ReadBytes(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(dir.FullName, "Containerize.sln"))) continue;
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "conformance");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"No tests/conformance folder in the repository above {AppContext.BaseDirectory}.");
    }
}
