using System.IO.Compression;

namespace Containerize.TestSupport;

/// <summary>
/// Looks for a secret's bytes in every file under a folder (a blob store, an OCI layout, a
/// <c>skopeo copy dir:</c>), as stored and, for gzip files, decompressed: layers, configs,
/// manifests and whatever else lies there.
/// </summary>
public static class SecretScan
{
    /// <summary>The files (relative paths) that contain <paramref name="secret"/>; empty when none does.</summary>
    public static IReadOnlyList<string> FilesContaining(string folder, byte[] secret)
    {
        var found = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            byte[] raw = File.ReadAllBytes(file);
            if (Contains(raw, secret) || (IsGzip(raw) && Contains(Gunzip(raw), secret))) found.Add(Path.GetRelativePath(folder, file));
        }
        return found;
    }

    /// <summary>How many files were looked at (so a test can show it scanned something).</summary>
    public static int CountFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Count();

    private static bool IsGzip(byte[] data) => data.Length > 2 && data[0] == 0x1f && data[1] == 0x8b;

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        try { input.CopyTo(output); }
        catch (InvalidDataException) { }
        return output.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
