using Containerize.Engine.Layers.Native;

namespace Containerize.Engine.IO;

/// <summary>
/// A fresh directory for the work of one build (unpacked stages, downloads), removed on dispose
/// even when what was unpacked into it has read-only directories. Only its owner can enter it,
/// from the moment it exists: what is unpacked there (setuid programs, device nodes of an image)
/// must not be reachable by other users.
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    private const int OwnerOnly = 0b111_000_000;

    public ScratchDirectory(string prefix) => Path = CreatePrivate(prefix + "-");

    /// <summary>A new, empty directory under the system temp folder that only its owner can enter.</summary>
    public static string CreatePrivate(string prefix)
    {
        string temp = System.IO.Path.GetTempPath();
        Directory.CreateDirectory(temp);
        string path = System.IO.Path.Combine(temp, prefix + Guid.NewGuid().ToString("N"));
        LibC.MakeDirectory(path, OwnerOnly);
        return path;
    }

    public string Path { get; }

    /// <summary>A new, empty subdirectory.</summary>
    public string CreateSubdirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose() => DeleteTree(Path);

    /// <summary>Removes a directory tree, quietly: cleanup must not hide the outcome of the work that used it.</summary>
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
