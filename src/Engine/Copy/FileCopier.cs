using System.Text;
using Containerize.Engine.Context;
using Containerize.Engine.Errors;
using Containerize.Engine.Layers;
using Containerize.Engine.Layers.Native;
using Containerize.Engine.Store;

namespace Containerize.Engine.Copy;

/// <summary>
/// Performs one COPY or ADD into a new layer with Docker's rules: the layer holds the copied
/// entries and the destination directories that had to be created, nothing else.
/// </summary>
public static class FileCopier
{
    public static Task<Layer> CopyAsync(CopyRequest request, IImageFileSystem image, BlobStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(store);
        return Task.Run(() => Copy(request, image, store, ct), ct);
    }

    private static Layer Copy(CopyRequest request, IImageFileSystem image, BlobStore store, CancellationToken ct)
    {
        var errors = new CopyErrors(request.Location);
        string instruction = request.InstructionName;
        if (request.Sources.Count == 0 && request.Heredocs.Count == 0)
        {
            throw errors.Create(ErrorCodes.CopySourceNotFound, $"{instruction} needs at least one source and a destination, e.g. {instruction} app.dll /app/.");
        }
        var root = new SourceRoot(request.SourceRoot, errors);
        if (request.Sources.Count > 0 && !Directory.Exists(root.Directory))
        {
            throw errors.Create(ErrorCodes.CopySourceNotFound, $"{instruction} copies from '{root.Directory}', which does not exist. Check the build context or the stage it names.");
        }

        var owner = CopyOwner.Resolve(request.Chown, image, errors);
        var mode = CopyMode.Parse(request.Chmod, errors);
        var destination = CopyDestination.Resolve(request, image);
        var matcher = new SourceMatcher(root, request.SourceFilter ?? IgnorePatterns.Empty, errors, instruction);
        var matches = request.Sources.SelectMany(matcher.Match).ToList();

        if (matches.Count + request.Heredocs.Count > 1 && !destination.IsDirectory)
        {
            throw errors.Create(ErrorCodes.CopyDestinationNotDirectory,
                $"When using {instruction} with more than one source file, the destination must be a directory and end with a /: write '{request.Destination}/'.");
        }

        long createdTime = request.SourceDateEpoch?.ToUnixTimeSeconds() ?? 0;
        var tree = new CopyTree(image, owner, createdTime);
        var stamp = new EntryStamp(owner, mode, request.SourceDateEpoch?.ToUnixTimeSeconds());
        var excludes = ParseExcludes(request, errors);
        var collector = new SourceTreeCollector(tree, request.SourceFilter, excludes, stamp);
        var temporaryDirectories = new List<string>();
        try
        {
            if (destination.IsDirectory) tree.EnsureDirectory(destination.Path);
            foreach (var match in matches)
            {
                ct.ThrowIfCancellationRequested();
                if (collector.IsExcluded(match.Name, match.IsDirectory)) continue;
                if (request.IsAdd && match.Metadata.Kind == UnixFileKind.RegularFile && TarArchiveOpener.TryOpen(match.HostPath, errors) is { } archive)
                {
                    string extracted = ExtractArchive(archive, match, request, errors, ct);
                    temporaryDirectories.Add(extracted);
                    // Without --chown, extracted entries keep the archive's owners; only root could give them those on disk.
                    var archiveStamp = stamp with { Owner = request.Chown is null && LibC.IsRoot ? null : owner };
                    tree.EnsureDirectory(destination.Path);
                    new SourceTreeCollector(tree, null, excludes, archiveStamp).AddContents(extracted, "", "", destination.Path, ct);
                    continue;
                }
                CopyMatch(match, destination, root, collector, tree, request.Parents, ct);
            }
            foreach (var heredoc in request.Heredocs)
            {
                string target = destination.IsDirectory ? destination.Below(heredoc.Name.Trim('/')) : destination.Path;
                tree.Add(target, HeredocEntry(heredoc, stamp, createdTime));
            }
            return CopyLayerWriter.Write(tree.InLayerOrder(), store, ct);
        }
        finally
        {
            foreach (string directory in temporaryDirectories) DeleteQuietly(directory);
        }
    }

    private static void CopyMatch(SourceMatch match, CopyDestination destination, SourceRoot root, SourceTreeCollector collector, CopyTree tree, bool parents, CancellationToken ct)
    {
        string target;
        if (parents)
        {
            target = destination.Below(match.ParentsPath);
            AddSourceParents(match, destination, root, collector);
        }
        else if (match.IsDirectory) target = destination.Path;
        else target = destination.IsDirectory ? destination.Below(match.Name) : destination.Path;

        collector.AddEntry(match.HostPath, match.Metadata, target);
        if (match.IsDirectory)
        {
            tree.EnsureDirectory(target);
            collector.AddContents(match.HostPath, root.Relative(match.HostPath), "", target, ct);
        }
    }

    /// <summary>--parents: the directories between the destination and the source keep the source's directory metadata.</summary>
    private static void AddSourceParents(SourceMatch match, CopyDestination destination, SourceRoot root, SourceTreeCollector collector)
    {
        string[] parts = match.ParentsPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string prefix = match.RelativePath[..^match.ParentsPath.Length].TrimEnd('/');
        string parentsPath = "";
        for (int i = 0; i < parts.Length - 1; i++)
        {
            parentsPath = parentsPath.Length == 0 ? parts[i] : parentsPath + "/" + parts[i];
            string host = root.Resolve(prefix.Length == 0 ? parentsPath : prefix + "/" + parentsPath, match.Word);
            if (LibC.TryStatx(host) is { Kind: UnixFileKind.Directory } metadata) collector.AddEntry(host, metadata, destination.Below(parentsPath));
        }
    }

    private static string ExtractArchive(Stream archive, SourceMatch match, CopyRequest request, CopyErrors errors, CancellationToken ct)
    {
        string directory = Path.Combine(Path.GetTempPath(), "ctz-add-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (archive)
            {
                LayerExtractor.ExtractAsync(archive, directory, new ExtractOptions { PreserveOwnership = LibC.IsRoot, ApplyWhiteouts = false }, ct).GetAwaiter().GetResult();
            }
            return directory;
        }
        catch (ContainerizeException e) when (e.Location is null)
        {
            DeleteQuietly(directory);
            throw errors.Create(ErrorCodes.CopyArchiveUnreadable, $"ADD could not extract '{match.Word}': {e.Message}", e);
        }
        catch
        {
            DeleteQuietly(directory);
            throw;
        }
    }

    private static IgnorePatterns ParseExcludes(CopyRequest request, CopyErrors errors)
    {
        try
        {
            return IgnorePatterns.Create(request.Excludes, "--exclude");
        }
        catch (ContainerizeException e)
        {
            throw errors.Create(e.Code, $"--exclude: {e.Message}", e);
        }
    }

    private static CopyEntry HeredocEntry(HeredocFile heredoc, EntryStamp stamp, long createdTime)
    {
        byte[] content = Encoding.UTF8.GetBytes(heredoc.Content);
        int mode = stamp.Mode?.Apply(0b110_100_100, isDirectory: false) ?? 0b110_100_100;
        return new CopyEntry(new TarEntry
        {
            Name = "",
            Type = TarEntryType.RegularFile,
            Mode = mode,
            Uid = stamp.Owner!.Uid,
            Gid = stamp.Owner.Gid,
            Size = content.Length,
            MtimeSeconds = createdTime,
        }, InlineContent: content);
    }

    private static void DeleteQuietly(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
