namespace Containerize.Engine.Copy;

/// <summary>The image as built so far (its lower layers), as far as COPY's rules need to see it.</summary>
public interface IImageFileSystem
{
    /// <summary>Whether an absolute path in the image is an existing directory (after following symlinks).</summary>
    bool IsDirectory(string absolutePath);

    /// <summary>The content of a file in the image (e.g. /etc/passwd), or null if it is absent.</summary>
    byte[]? ReadFile(string absolutePath);
}
