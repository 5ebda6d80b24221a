using System.Formats.Tar;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Archives;

/// <summary>
/// Writes a tar whose bytes depend only on its files: entries sorted by name, parent directories
/// listed, ustar headers (no atime/ctime) with a fixed mtime and owner 0:0. The archive is
/// written to a temporary file beside the target and renamed over it only when complete; such files
/// of killed builds (<see cref="TemporaryName"/>) are removed when the archive is next written.
/// </summary>
internal static class DeterministicArchive
{
    private static readonly DateTimeOffset FixedTime = DateTimeOffset.UnixEpoch;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static async Task WriteAsync(string archivePath, IReadOnlyCollection<ArchiveFile> files, CancellationToken cancellationToken)
    {
        string target = Path.GetFullPath(archivePath);
        string? tempPath = null;
        try
        {
            string folder = Path.GetDirectoryName(target)!;
            string prefix = $".{Path.GetFileName(target)}.";
            Directory.CreateDirectory(folder);
            TemporaryName.RemoveAbandonedIn(folder, removeTree: null, prefix);
            tempPath = Path.Combine(folder, TemporaryName.Create(prefix));
            await using (var stream = new FileStream(tempPath, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await using (var tar = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
                {
                    foreach (string directory in DirectoriesOf(files)) await WriteDirectoryAsync(tar, directory, cancellationToken).ConfigureAwait(false);
                    foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
                    {
                        await WriteFileAsync(tar, file, cancellationToken).ConfigureAwait(false);
                    }
                }
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(tempPath, target, overwrite: true);
            tempPath = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ContainerizeException(ErrorCodes.ArchiveWriteFailed,
                $"The image archive '{target}' could not be written: {e.Message} Any archive already at that path was left as it was.", e);
        }
        finally
        {
            if (tempPath is not null) BestEffortDelete.File(tempPath);
        }
    }

    private static IEnumerable<string> DirectoriesOf(IEnumerable<ArchiveFile> files) =>
        files.SelectMany(f => Ancestors(f.Name)).Distinct().Order(StringComparer.Ordinal);

    private static IEnumerable<string> Ancestors(string name)
    {
        for (int slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1)) yield return name[..(slash + 1)];
    }

    private static Task WriteDirectoryAsync(TarWriter tar, string name, CancellationToken cancellationToken) =>
        tar.WriteEntryAsync(Header(TarEntryType.Directory, name, DirectoryMode), cancellationToken);

    private static async Task WriteFileAsync(TarWriter tar, ArchiveFile file, CancellationToken cancellationToken)
    {
        await using var content = file.Open();
        if (content.Length != file.Size)
        {
            throw new IOException($"'{file.Name}' has {content.Length} bytes where {file.Size} were expected; the image store may be corrupt: build again.");
        }
        var entry = Header(TarEntryType.RegularFile, file.Name, FileMode);
        entry.DataStream = content;
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static UstarTarEntry Header(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        ModificationTime = FixedTime,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
    };
}
