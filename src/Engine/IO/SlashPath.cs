using System.Text;

namespace Containerize.Engine.IO;

/// <summary>Slash-separated path helpers with Go's <c>path/filepath</c> semantics on Unix.</summary>
internal static class SlashPath
{
    /// <summary>Go's <c>filepath.Clean</c>: drops empty and "." parts, resolves "..", keeps a leading "/".</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0) return ".";
        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var cleaned = new StringBuilder(rooted ? "/" : "");
        cleaned.AppendJoin('/', parts);
        return cleaned.Length == 0 ? "." : cleaned.ToString();
    }

    /// <summary>Go's <c>filepath.Dir</c>: everything before the last "/", cleaned.</summary>
    public static string Dir(string path)
    {
        int slash = path.LastIndexOf('/');
        return Clean(slash < 0 ? "" : path[..(slash + 1)]);
    }
}
