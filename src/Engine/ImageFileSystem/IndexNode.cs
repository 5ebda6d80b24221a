namespace Containerize.Engine.ImageFileSystem;

/// <summary>
/// One entry of the in-memory index: metadata and where its content lives (layer and entry
/// ordinal), never the content itself. Children exist only for directories.
/// </summary>
internal sealed class IndexNode
{
    public static readonly int DefaultDirectoryMode = Convert.ToInt32("755", 8);

    public ImageFileKind Kind { get; set; }
    public int Mode { get; set; }
    public long Uid { get; set; }
    public long Gid { get; set; }
    public long Size { get; set; }
    public string LinkTarget { get; set; } = "";

    /// <summary>The layer and entry ordinal holding the bytes of a regular file (or of a hard link's target); -1 when none.</summary>
    public int ContentLayer { get; set; } = -1;
    public int ContentOrdinal { get; set; } = -1;

    /// <summary>The last layer that wrote this entry or something below it: whiteouts only remove what lower layers wrote.</summary>
    public int WrittenInLayer { get; set; }

    public Dictionary<string, IndexNode>? Children { get; set; }

    public bool IsDirectory => Kind == ImageFileKind.Directory;

    public static IndexNode ImplicitDirectory(int layer) =>
        new() { Kind = ImageFileKind.Directory, Mode = DefaultDirectoryMode, WrittenInLayer = layer };

    public IndexNode? Child(string name) => Children is not null && Children.TryGetValue(name, out var child) ? child : null;

    public void SetChild(string name, IndexNode child) => (Children ??= new(StringComparer.Ordinal))[name] = child;

    public void RemoveChild(string name) => Children?.Remove(name);

    public ImageFileInfo ToInfo() => new(Kind, Mode, Uid, Gid, Size, LinkTarget);
}
