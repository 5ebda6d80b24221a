namespace Containerize.Engine.Context;

/// <summary>
/// One entry of a build context, read without following symlinks. <see cref="Size"/> is the
/// byte length of files and of symlink targets, 0 otherwise; <see cref="Mode"/> holds the
/// permission and setuid/setgid/sticky bits.
/// </summary>
public sealed record ContextEntry(
    string RelativePath,
    string FullPath,
    ContextEntryKind Kind,
    long Size,
    UnixFileMode Mode,
    DateTime LastWriteUtc,
    string? LinkTarget);
