using System.Text;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Copy;

/// <summary>
/// Performs one COPY or ADD into a new layer with Docker's rules: the layer holds the copied
/// entries and the destination directories that had to be created, nothing else. ADD's remote
/// sources (URLs, git repositories) are fetched first, into temporary directories removed afterwards.
/// </summary>
public static class FileCopier
{
    public static Task<Layer> CopyAsync(CopyRequest request, IImageFileSystem image, BlobStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(store);
        return FetchAndCopyAsync(request, image, store, ct);
    }

    /// <summary>The copy of a request whose remote sources were fetched already (to hash them for the step cache).</summary>
    internal static Task<Layer> CopyAsync(CopyRequest request, FetchedSources fetched, IImageFileSystem image, BlobStore store, CancellationToken ct) =>
        Task.Run(() => Copy(request, fetched, image, store, new CopyErrors(request.Location), ct), ct);

    private static async Task<Layer> FetchAndCopyAsync(CopyRequest request, IImageFileSystem image, BlobStore store, CancellationToken ct)
    {
        var errors = new CopyErrors(request.Location);
        using var fetched = await FetchedSources.FetchAsync(request, errors, ct).ConfigureAwait(false);
        return await Task.Run(() => Copy(request, fetched, image, store, errors, ct), ct).ConfigureAwait(false);
    }

    private static Layer Copy(CopyRequest request, FetchedSources fetched, IImageFileSystem image, BlobStore store, CopyErrors errors, CancellationToken ct)
    {
        string instruction = request.InstructionName;
        if (request.Sources.Count == 0 && request.Heredocs.Count == 0)
        {
            throw errors.Create(ErrorCodes.CopySourceNotFound, $"{instruction} needs at least one source and a destination, e.g. {instruction} app.dll /app/.");
        }
        var root = new SourceRoot(request.SourceRoot, errors);
        if (request.Sources.Count > fetched.Count && !Directory.Exists(root.Directory))
        {
            throw errors.Create(ErrorCodes.CopySourceNotFound, $"{instruction} copies from '{root.Directory}', which does not exist. Check the build context or the stage it names.");
        }

        var owner = CopyOwner.Resolve(request.Chown, image, errors);
        var mode = CopyMode.Parse(request.Chmod, errors);
        var destination = CopyDestination.Resolve(request, image);
        var matcher = new SourceMatcher(root, request.SourceFilter ?? IgnorePatterns.Empty, errors, instruction);
        var matchesBySource = request.Sources.Select((word, i) => fetched.At(i) is null ? matcher.Match(word) : []).ToList();

        if (matchesBySource.Sum(m => m.Count) + fetched.Count + request.Heredocs.Count > 1 && !destination.IsDirectory)
        {
            throw errors.Create(ErrorCodes.CopyDestinationNotDirectory,
                $"When using {instruction} with more than one source file, the destination must be a directory and end with a /: write '{request.Destination}/'.");
        }

        long createdTime = request.SourceDateEpoch?.ToUnixTimeSeconds() ?? 0;
        var tree = new CopyTree(image, owner, createdTime);
        var stamp = new EntryStamp(owner, mode, request.SourceDateEpoch?.ToUnixTimeSeconds());
        var excludes = ParseExcludes(request, errors);
        var collector = new SourceTreeCollector(tree, request.SourceFilter, excludes, stamp);
        // Without --chown, extracted entries keep the archive's owners; only root could give them those on disk.
        using var unpacker = new ArchiveUnpacker(tree, destination.Path, excludes, stamp with { Owner = request.Chown is null && LibC.IsRoot ? null : owner }, errors);

        if (destination.IsDirectory) tree.EnsureDirectory(destination.Path);
        bool unpackLocal = request.IsAdd && request.Unpack != false;
        for (int i = 0; i < request.Sources.Count; i++)
        {
            if (fetched.At(i) is { } remote)
            {
                ct.ThrowIfCancellationRequested();
                var remoteStamp = stamp with { ClampSeconds = Earliest(stamp.ClampSeconds, remote.ClampSeconds) };
                CopyFetched(remote, destination, new SourceTreeCollector(tree, null, excludes, remoteStamp), tree, request.Unpack == true ? unpacker : null, ct);
                continue;
            }
            foreach (var match in matchesBySource[i])
            {
                ct.ThrowIfCancellationRequested();
                if (collector.IsExcluded(match.Name, match.IsDirectory)) continue;
                if (unpackLocal && match.Metadata.Kind == UnixFileKind.RegularFile && unpacker.TryUnpack(match.HostPath, match.Word, ct)) continue;
                CopyMatch(match, destination, root, collector, tree, request.Parents, ct);
            }
        }
        foreach (var heredoc in request.Heredocs)
        {
            string target = destination.IsDirectory ? destination.Below(heredoc.Name.Trim('/')) : destination.Path;
            tree.Add(target, HeredocEntry(heredoc, stamp, createdTime));
        }
        return CopyLayerWriter.Write(tree.InLayerOrder(), store, ct);
    }

    /// <summary>
    /// A git checkout is copied like a directory source (its root takes the destination's place);
    /// a download like a file source, unless --unpack=true finds an archive in it.
    /// </summary>
    private static void CopyFetched(FetchedSource remote, CopyDestination destination, SourceTreeCollector collector, CopyTree tree, ArchiveUnpacker? unpacker, CancellationToken ct)
    {
        if (remote.IsDirectory)
        {
            collector.AddEntry(remote.HostPath, LibC.Statx(remote.HostPath), destination.Path);
            tree.EnsureDirectory(destination.Path);
            collector.AddContents(remote.HostPath, "", "", destination.Path, ct);
            return;
        }
        if (collector.IsExcluded(remote.Name, isDirectory: false)) return;
        if (unpacker?.TryUnpack(remote.HostPath, remote.Source.Display, ct) == true) return;
        collector.AddEntry(remote.HostPath, LibC.Statx(remote.HostPath), destination.IsDirectory ? destination.Below(remote.Name) : destination.Path);
    }

    private static long? Earliest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

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
}
