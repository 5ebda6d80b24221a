using Containerize.Engine.Layers;

namespace Containerize.Engine.Copy;

/// <summary>
/// The layer's entries keyed by image path (no leading or trailing '/'); a later source replaces
/// an earlier one at the same path. Parent directories the image lacks are created 0755, owned by
/// the --chown owner; parents the image already has are left out of the layer, because only their
/// existence (not their mode or owner) is known here and re-emitting them would overwrite both.
/// </summary>
internal sealed class CopyTree(IImageFileSystem image, CopyOwner owner, long createdTime) : ICopyEntrySink
{
    private const int CreatedDirectoryMode = 0b111_101_101;
    private readonly Dictionary<string, CopyEntry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public void Add(string imagePath, CopyEntry entry)
    {
        string key = Key(imagePath);
        if (key.Length == 0) return; // the image root itself is never an entry
        bool isDirectory = entry.Header.Type == TarEntryType.Directory;
        if (!isDirectory && _entries.TryGetValue(key, out var replaced) && replaced.Header.Type == TarEntryType.Directory)
        {
            foreach (string below in _entries.Keys.Where(k => k.StartsWith(key + "/", StringComparison.Ordinal)).ToList()) _entries.Remove(below);
        }
        string name = isDirectory ? key + "/" : key;
        _entries[key] = entry with { Header = entry.Header with { Name = name } };
        EnsureParents(key);
    }

    /// <summary>Makes sure a directory exists at the path: created (0755, --chown owner) unless the image or the layer already has it.</summary>
    public void EnsureDirectory(string imagePath)
    {
        string key = Key(imagePath);
        if (key.Length == 0 || _entries.ContainsKey(key) || image.IsDirectory("/" + key)) return;
        _entries[key] = new CopyEntry(new TarEntry
        {
            Name = key + "/",
            Type = TarEntryType.Directory,
            Mode = CreatedDirectoryMode,
            Uid = owner.Uid,
            Gid = owner.Gid,
            MtimeSeconds = createdTime,
        });
        EnsureParents(key);
    }

    /// <summary>The entries in layer order: full names (directories with '/') by UTF-8 bytes, so parents precede children.</summary>
    public IEnumerable<CopyEntry> InLayerOrder() => _entries.Values.OrderBy(e => e.Header.Name, Utf8OrdinalComparer.Instance);

    private void EnsureParents(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash > 0) EnsureDirectory(key[..slash]);
    }

    private static string Key(string imagePath) => imagePath.Trim('/');
}
