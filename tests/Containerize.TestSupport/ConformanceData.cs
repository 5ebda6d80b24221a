using System.Text.Json;

namespace Containerize.TestSupport;

/// <summary>
/// The external conformance corpora in <c>shared/conformance</c>, found by walking up from the
/// test assembly until an ancestor has a <c>shared/conformance</c> folder beside or below it.
/// </summary>
public static class ConformanceData
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static byte[] ReadBytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    /// <summary>Parses a corpus JSON file; the caller disposes the document.</summary>
    public static JsonDocument LoadJson(params string[] parts) => JsonDocument.Parse(ReadBytes(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "conformance");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"No shared/conformance folder above {AppContext.BaseDirectory}: the corpora live in ../shared beside the repository.");
    }
}
