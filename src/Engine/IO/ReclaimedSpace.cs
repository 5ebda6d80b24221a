namespace Containerize.Engine.IO;

/// <summary>What a cleanup removed: how many files and folders (each counted once, with what is inside it) and their bytes.</summary>
public readonly record struct ReclaimedSpace(int Entries, long Bytes)
{
    public static ReclaimedSpace operator +(ReclaimedSpace a, ReclaimedSpace b) => new(a.Entries + b.Entries, a.Bytes + b.Bytes);

    /// <summary>The bytes of the files in <paramref name="path"/> (a file, or a tree, links not followed); 0 for what cannot be read.</summary>
    public static long SizeOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Attributes.HasFlag(FileAttributes.Directory) || info.Attributes.HasFlag(FileAttributes.ReparsePoint)) return info.Exists ? info.Length : 0;
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            return new DirectoryInfo(path).EnumerateFiles("*", options).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
