namespace Containerize.Engine.ImageFileSystem;

/// <summary>
/// One entry's metadata as the layers left it. <see cref="Mode"/> holds the 12 permission bits;
/// <see cref="LinkTarget"/> is the symlink target as written, or the cleaned in-image path a hard
/// link points at (empty otherwise). A hard link's <see cref="Size"/> is its target's.
/// </summary>
public sealed record ImageFileInfo(ImageFileKind Kind, int Mode, long Uid, long Gid, long Size, string LinkTarget);
