namespace Containerize.Engine.Context;

public enum ContextEntryKind
{
    File,
    Directory,
    Symlink,

    /// <summary>A device, FIFO or socket.</summary>
    Other,
}
