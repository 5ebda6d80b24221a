namespace Containerize.Engine.ImageFileSystem;

/// <summary>What an entry of an image's filesystem is.</summary>
public enum ImageFileKind
{
    File,
    Directory,
    Symlink,
    HardLink,
    /// <summary>Devices and FIFOs: present, but with no content to read.</summary>
    Other,
}
