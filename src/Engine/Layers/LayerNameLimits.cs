using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Layers;

/// <summary>
/// What Linux lets an entry be called: NAME_MAX bytes for one name, PATH_MAX for a whole path and
/// for a symlink's target. Checked before anything is written, so a layer with a longer name is one
/// clear error naming the entry (shortened) instead of ENAMETOOLONG from whichever call met it.
/// </summary>
internal static class LayerNameLimits
{
    public const int NameMax = 255;
    public const int PathMax = 4096; // with the terminating NUL

    private const int ShownPrefix = 80;

    /// <param name="parts">The entry's cleaned path components.</param>
    /// <param name="whiteout">Whether a final <c>.wh.</c> name is a whiteout (only the name it removes must fit).</param>
    public static void Check(TarEntry entry, List<string> parts, string root, bool whiteout)
    {
        int pathBytes = Encoding.UTF8.GetByteCount(root);
        for (int i = 0; i < parts.Count; i++)
        {
            string name = whiteout && i == parts.Count - 1 && parts[i].StartsWith(Whiteouts.Prefix, StringComparison.Ordinal)
                ? parts[i][Whiteouts.Prefix.Length..] : parts[i];
            int bytes = Encoding.UTF8.GetByteCount(name);
            if (bytes > NameMax) throw TooLong(entry.Name, $"has a name of {bytes} bytes", $"NAME_MAX, {NameMax} bytes");
            pathBytes += 1 + bytes;
        }
        if (pathBytes >= PathMax) throw TooLong(entry.Name, $"would be written at a path of {pathBytes} bytes", $"PATH_MAX, {PathMax - 1} bytes");
        if (entry.Type is TarEntryType.SymbolicLink or TarEntryType.HardLink && Encoding.UTF8.GetByteCount(entry.LinkName) is var link && link >= PathMax)
        {
            throw TooLong(entry.Name, $"links to a path of {link} bytes", $"PATH_MAX, {PathMax - 1} bytes");
        }
    }

    /// <summary>The error for an entry the file system refused with ENAMETOOLONG, where the names checked beforehand did not show it (a path through symlinks).</summary>
    public static ContainerizeException TooLong(string entryName, Exception cause) =>
        TooLong(entryName, "leads to a path or name", "NAME_MAX or PATH_MAX", cause);

    /// <summary>A name shortened for a message: its start, and how long it is.</summary>
    public static string Shorten(string name) =>
        name.Length <= ShownPrefix ? name : $"{name[..ShownPrefix]}… ({Encoding.UTF8.GetByteCount(name)} bytes)";

    private static ContainerizeException TooLong(string entryName, string what, string limit, Exception? cause = null) =>
        new(ErrorCodes.LayerEntryNameTooLong,
            $"The layer entry '{Shorten(entryName)}' {what}, longer than Linux allows ({limit}), so it cannot be written. "
            + "Use another image, or ask its publisher to rebuild it with shorter names.", cause);
}
