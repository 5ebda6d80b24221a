namespace Containerize.Engine.IO;

/// <summary>Deleting a file that may already be gone, or that another process still holds: failing only costs space.</summary>
internal static class BestEffortDelete
{
    /// <summary>Whether the file is gone now (deleted, or never there).</summary>
    public static bool File(string path)
    {
        try
        {
            System.IO.File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
