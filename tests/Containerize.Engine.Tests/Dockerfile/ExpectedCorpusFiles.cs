using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>
/// The Dockerfiles of real-dockerfiles-expected by name (their path below <c>dockerfiles/</c>): most
/// are stored there, those real-dockerfiles holds too only there (<c>stored-in-real-dockerfiles.tsv</c>).
/// </summary>
internal static class ExpectedCorpusFiles
{
    public const string Corpus = "real-dockerfiles-expected";

    private static readonly Lazy<Dictionary<string, string>> Stored = new(Load);

    public static IEnumerable<string> Names => Stored.Value.Keys.Order(StringComparer.Ordinal);

    /// <summary>The file, wherever it is stored.</summary>
    public static string PathOf(string name) => Stored.Value[name];

    private static Dictionary<string, string> Load()
    {
        string folder = ConformanceData.PathOf(Corpus, "dockerfiles");
        var stored = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => f, StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(Path.Combine(folder, "stored-in-real-dockerfiles.tsv")).Skip(1))
        {
            string[] columns = line.Split('\t');
            stored.Add(columns[0], ConformanceData.PathOf(columns[1]));
        }
        return stored;
    }
}
