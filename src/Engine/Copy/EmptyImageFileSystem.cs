namespace Containerize.Engine.Copy;

/// <summary>An image with no files: what <c>COPY --link</c> copies onto, so its layer does not depend on the base.</summary>
public sealed class EmptyImageFileSystem : IImageFileSystem
{
    public static readonly EmptyImageFileSystem Instance = new();

    public bool IsDirectory(string absolutePath) => absolutePath.Trim('/').Length == 0;

    public byte[]? ReadFile(string absolutePath) => null;
}
