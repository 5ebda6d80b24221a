using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// One path a source word stands for. <see cref="RelativePath"/> is the path as named (root-relative,
/// cleaned); <see cref="HostPath"/> is where it really is, symlinks followed inside the root.
/// <see cref="ParentsPath"/> is what --parents keeps of it.
/// </summary>
internal sealed record SourceMatch(string Word, string RelativePath, string HostPath, FileMetadata Metadata, string ParentsPath)
{
    public bool IsDirectory => Metadata.Kind == UnixFileKind.Directory;

    public string Name => RelativePath.Length == 0 ? "" : RelativePath[(RelativePath.LastIndexOf('/') + 1)..];
}
