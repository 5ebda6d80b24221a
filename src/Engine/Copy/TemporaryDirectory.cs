using Containerize.Engine.Layers.Native;

namespace Containerize.Engine.Copy;

/// <summary>Private scratch directories under the system temp folder for one copy (extracted archives, downloads, clones).</summary>
internal static class TemporaryDirectory
{
    /// <summary>A new, empty directory only its owner can enter.</summary>
    public static string Create(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        LibC.Chmod(path, 0b111_000_000);
        return path;
    }

    public static void DeleteQuietly(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
