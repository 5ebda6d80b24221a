using Containerize.Engine.IO.Native;

namespace Containerize.Engine.IO;

/// <summary>
/// A fresh directory for the work of one build (unpacked stages, downloads), removed on dispose
/// even when what was unpacked into it has read-only directories. Only its owner can enter it,
/// from the moment it exists: what is unpacked there (setuid programs, device nodes of an image)
/// must not be reachable by other users. Its name carries the process that made it
/// (<see cref="TemporaryName"/>), so what a killed build left is removed by the next one
/// (<see cref="RemoveAbandoned"/>).
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    private const int OwnerOnly = 0b111_000_000;

    /// <summary>Every scratch folder's name starts with one of these; nothing else in the temp folder is ever removed.</summary>
    private static readonly string[] NamePrefixes = ["containerize-", "ctz-"];

    public ScratchDirectory(string prefix) => Path = CreatePrivate(prefix + "-");

    /// <summary>A new, empty directory under the system temp folder that only its owner can enter; <paramref name="prefix"/> starts with "containerize-" or "ctz-" and ends in '-'.</summary>
    public static string CreatePrivate(string prefix)
    {
        if (!NamePrefixes.Any(p => prefix.StartsWith(p, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"A scratch folder's name starts with {string.Join(" or ", NamePrefixes)}: '{prefix}'.", nameof(prefix));
        }
        string temp = System.IO.Path.GetTempPath();
        Directory.CreateDirectory(temp);
        string path = System.IO.Path.Combine(temp, TemporaryName.Create(prefix));
        LibC.MakeDirectory(path, OwnerOnly);
        return path;
    }

    /// <summary>
    /// Removes the scratch folders of this user's builds that are no longer running (killed), from
    /// the temp folder. <paramref name="removeTree"/> removes a tree; by default <see cref="DeleteTree"/>
    /// (rootless builds pass one that also removes what the user's subordinate ids own). Returns what went.
    /// </summary>
    public static ReclaimedSpace RemoveAbandoned(Action<string>? removeTree = null)
    {
        string temp = System.IO.Path.GetTempPath();
        uint user = LibC.EffectiveUserId;
        var reclaimed = new ReclaimedSpace();
        foreach (string prefix in NamePrefixes)
        {
            foreach (string path in TemporaryName.AbandonedIn(temp, prefix))
            {
                // The temp folder is shared: only this user's folders are this user's to remove.
                if (LibC.TryStatx(path) is not { Kind: UnixFileKind.Directory } metadata || metadata.Uid != user) continue;
                long size = ReclaimedSpace.SizeOf(path);
                (removeTree ?? DeleteTree)(path);
                if (!Directory.Exists(path)) reclaimed += new ReclaimedSpace(1, size);
            }
        }
        return reclaimed;
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
