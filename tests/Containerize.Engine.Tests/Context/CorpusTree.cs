using Containerize.Engine.Context;

namespace Containerize.Engine.Tests.Context;

/// <summary>Creates the corpus' "dir x" / "file x" tree lines under a directory, and describes a walk the same way.</summary>
internal static class CorpusTree
{
    public static void Create(string root, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ', 2);
            string full = Path.Combine(root, parts[1]);
            if (parts[0] == "dir") Directory.CreateDirectory(full);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, []);
            }
        }
    }

    public static string[] Describe(IEnumerable<ContextEntry> entries) =>
        entries.Select(e => (e.Kind == ContextEntryKind.Directory ? "dir " : "file ") + e.RelativePath).ToArray();
}
