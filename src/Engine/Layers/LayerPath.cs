using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Layers;

/// <summary>Turns a tar entry name from an untrusted layer into path components that stay under the extraction root.</summary>
internal static class LayerPath
{
    /// <summary>
    /// Cleans a name lexically ("./a//b/../c/" → ["a", "c"]); a leading '/' means the root. A ".."
    /// that would climb above the root makes the layer unsafe ("../x", "/../x", "a/../../x").
    /// </summary>
    public static List<string> Clean(string name, string entryName)
    {
        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) throw Unsafe(entryName, $"'{name}' climbs out of the image root");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            if (part.Contains('\0')) throw Unsafe(entryName, "its name contains a NUL character");
            parts.Add(part);
        }
        return parts;
    }

    public static ContainerizeException Unsafe(string entryName, string why) =>
        new(ErrorCodes.UnsafeLayerPath,
            $"The layer is unsafe and was not extracted: entry '{entryName}' would write outside the target directory ({why}). Do not use this image, or ask its publisher to rebuild it.");
}
