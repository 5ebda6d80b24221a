using Containerize.Engine.Layers.Native;

namespace Containerize.Engine.IO;

/// <summary>
/// A fresh directory for the work of one build (unpacked stages, downloads), removed on dispose
/// even when what was unpacked into it has read-only directories.
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A new, empty subdirectory.</summary>
    public string CreateSubdirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose() => DeleteTree(Path);

    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path)) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Directories unpacked from an image may lack the owner's write bit; grant it and retry.
            try
            {
                GrantOwnerAccess(path);
                Directory.Delete(path, recursive: true);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
        }
    }

    private static void GrantOwnerAccess(string directory)
    {
        if (LibC.TryStatx(directory) is { } metadata) LibC.Chmod(directory, metadata.Permissions | 0b111_000_000);
        foreach (string child in Directory.EnumerateDirectories(directory, "*", new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            GrantOwnerAccess(child);
        }
    }
}
