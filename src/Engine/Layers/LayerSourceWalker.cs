using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Layers;

/// <summary>
/// Turns a directory into tar entries in layer order: the destination's parent directories
/// first, then every entry sorted by full name (UTF-8 byte order, directories ending with '/').
/// The second and later names of one inode become hard links to the first.
/// </summary>
internal sealed class LayerSourceWalker
{
    /// <summary>Labels of the machine that built the files, not content of the image.</summary>
    private static readonly HashSet<string> IgnoredXattrs = new(StringComparer.Ordinal) { "security.selinux" };

    private readonly LayerOptions _options;
    private readonly long _timestamp;
    private readonly Dictionary<(ulong Device, ulong Inode), string> _firstNameOfInode = new();

    public LayerSourceWalker(LayerOptions options)
    {
        _options = options;
        _timestamp = options.Timestamp.ToUnixTimeSeconds();
    }

    public IEnumerable<LayerSourceEntry> Walk(string sourceDirectory, CancellationToken cancellationToken)
    {
        string prefix = "";
        foreach (string part in DestinationParts(_options.DestinationRoot))
        {
            prefix += part + "/";
            yield return new LayerSourceEntry(new TarEntry { Name = prefix, Type = TarEntryType.Directory, Mode = 0b111_101_101, MtimeSeconds = _timestamp }, null);
        }
        foreach (var entry in WalkDirectory(Path.GetFullPath(sourceDirectory), prefix, cancellationToken)) yield return entry;
    }

    /// <summary>"/opt/app/" gives ["opt", "app"]; "/" gives none.</summary>
    internal static string[] DestinationParts(string destinationRoot)
    {
        var parts = destinationRoot.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw new ContainerizeException(ErrorCodes.UnsafeLayerPath,
                $"The layer destination '{destinationRoot}' contains '..'; give an absolute path inside the image such as /app.");
        }
        return parts;
    }

    private IEnumerable<LayerSourceEntry> WalkDirectory(string directory, string namePrefix, CancellationToken cancellationToken)
    {
        var children = new List<(string Name, string Path, FileMetadata Metadata)>();
        foreach (string path in Directory.EnumerateFileSystemEntries(directory))
        {
            var metadata = FileMetadata.Read(path);
            string name = namePrefix + Path.GetFileName(path) + (metadata.Kind == UnixFileKind.Directory ? "/" : "");
            children.Add((name, path, metadata));
        }
        // Sorting each directory with '/' appended to directory names yields the global order of full names.
        children.Sort((a, b) => Utf8OrdinalComparer.Instance.Compare(a.Name, b.Name));

        foreach (var (name, path, metadata) in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (metadata.Kind == UnixFileKind.Socket) continue; // sockets cannot travel in a tar; docker skips them too
            yield return ToEntry(name, path, metadata);
            if (metadata.Kind == UnixFileKind.Directory)
            {
                foreach (var entry in WalkDirectory(path, name, cancellationToken)) yield return entry;
            }
        }
    }

    internal LayerSourceEntry ToEntry(string name, string path, FileMetadata metadata)
    {
        var xattrs = LibC.ReadXattrs(path);
        foreach (string ignored in IgnoredXattrs) xattrs.Remove(ignored);
        var entry = new TarEntry
        {
            Name = name,
            Type = TarEntryType.RegularFile,
            Mode = metadata.Permissions,
            Uid = _options.Uid ?? metadata.Uid,
            Gid = _options.Gid ?? metadata.Gid,
            MtimeSeconds = _options.TimestampMode == TimestampMode.Fixed ? _timestamp : Math.Min(metadata.MtimeSeconds, _timestamp),
            Xattrs = xattrs.Count > 0 ? xattrs : null,
        };

        switch (metadata.Kind)
        {
            case UnixFileKind.RegularFile:
                if (metadata.LinkCount > 1)
                {
                    if (_firstNameOfInode.TryGetValue((metadata.Device, metadata.Inode), out string? first))
                    {
                        return new LayerSourceEntry(entry with { Type = TarEntryType.HardLink, LinkName = first }, null);
                    }
                    _firstNameOfInode[(metadata.Device, metadata.Inode)] = name;
                }
                return new LayerSourceEntry(entry with { Size = metadata.Size }, metadata.Size > 0 ? path : null);
            case UnixFileKind.Directory:
                return new LayerSourceEntry(entry with { Type = TarEntryType.Directory }, null);
            case UnixFileKind.SymbolicLink:
                return new LayerSourceEntry(entry with { Type = TarEntryType.SymbolicLink, LinkName = new FileInfo(path).LinkTarget ?? "" }, null);
            case UnixFileKind.CharacterDevice or UnixFileKind.BlockDevice:
                return new LayerSourceEntry(entry with
                {
                    Type = metadata.Kind == UnixFileKind.CharacterDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice,
                    DeviceMajor = metadata.RdevMajor,
                    DeviceMinor = metadata.RdevMinor,
                }, null);
            case UnixFileKind.Fifo:
                return new LayerSourceEntry(entry with { Type = TarEntryType.Fifo }, null);
            default:
                throw new ContainerizeException(ErrorCodes.UnsupportedFileType,
                    $"'{path}' is neither a file, a directory, a symlink nor a device, so it cannot be put in a layer. Remove it from the directory.");
        }
    }
}
