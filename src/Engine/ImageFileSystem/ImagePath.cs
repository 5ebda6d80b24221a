namespace Containerize.Engine.ImageFileSystem;

/// <summary>Lexical cleaning of in-image paths: "/a/./b/../c/" → ["a", "c"], with ".." stopping at the root.</summary>
internal static class ImagePath
{
    public static List<string> Components(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts;
    }

    public static string Join(IEnumerable<string> components) => "/" + string.Join('/', components);
}
