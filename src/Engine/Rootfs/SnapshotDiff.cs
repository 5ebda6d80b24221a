using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// The copy fallback's diff: a RUN step's root compared with the <see cref="RootSnapshot"/> taken
/// before the command, written as a layer with the entries an overlay upper directory would have
/// given (<see cref="UpperDirectoryWalker.ContainerEntry"/> makes each entry, <see cref="UpperDirectoryDiff"/>
/// writes them): new and changed entries; the directories above them (as overlay copies parents
/// up); <c>.wh.&lt;name&gt;</c> for what is gone from a directory that is still the same directory;
/// and a directory that was removed and made again (another inode or birth time) — or that now
/// stands where a file was — as a new directory followed by <c>.wh..wh..opq</c> and its whole
/// content, as overlay marks a directory created over a whiteout opaque, rather than whiteouts for
/// each removed child. A directory whose only change is its mtime is not emitted (entries added
/// or removed in it are, and bring it along). Owners are compared as the container sees them.
/// </summary>
internal static class SnapshotDiff
{
    public static Task<UpperDiff> WriteLayerAsync(string root, RootSnapshot before, UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(root))
        {
            throw new ContainerizeException(ErrorCodes.LayerSourceMissing,
                $"The root directory '{root}' of the RUN step does not exist, so its changes cannot become a layer. It was removed while the build ran; build again.");
        }
        return Task.Run(() =>
        {
            var differ = new Differ(before, options);
            var changes = differ.Compare(Path.GetFullPath(root), "", all: false, cancellationToken);
            var walker = new UpperDirectoryWalker(options);
            return UpperDirectoryDiff.Write(Emit(walker, changes, cancellationToken), root, options, store, cancellationToken);
        }, cancellationToken);
    }

    private static IEnumerable<LayerSourceEntry> Emit(UpperDirectoryWalker walker, List<Change> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (change.Path is null)
            {
                yield return walker.Marker(change.Name, change.Metadata.MtimeSeconds);
                continue;
            }
            yield return walker.ContainerEntry(change.Name, change.Path, change.Metadata, out _);
            if (change.Opaque) yield return walker.Marker(change.Name + Whiteouts.Opaque, change.Metadata.MtimeSeconds);
            if (change.Children is not null)
            {
                foreach (var entry in Emit(walker, change.Children, cancellationToken)) yield return entry;
            }
        }
    }

    /// <summary>One entry of the layer: an entry of the root (with what is below it) or, without a path, a whiteout.</summary>
    private sealed record Change(string Name, string? Path, FileMetadata Metadata, bool Opaque = false, List<Change>? Children = null);

    private sealed class Differ(RootSnapshot before, UpperDiffOptions options)
    {
        private readonly HashSet<string> _excluded = new(options.ExcludedPaths.Select(p => p.Trim('/')), StringComparer.Ordinal);

        /// <summary>The changes in a directory, sorted as a layer; <paramref name="all"/>: the directory is new, everything counts.</summary>
        public List<Change> Compare(string directory, string prefix, bool all, CancellationToken cancellationToken)
        {
            var result = new List<Change>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (string path in Directory.EnumerateFileSystemEntries(directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = Path.GetFileName(path);
                string relative = prefix + name;
                if (_excluded.Contains(relative)) continue;
                present.Add(name);
                var metadata = FileMetadata.Read(path);
                if (metadata.Kind == UnixFileKind.Socket) continue;
                bool isDirectory = metadata.Kind == UnixFileKind.Directory;
                string layerName = relative + (isDirectory ? "/" : "");
                var old = all ? null : before[relative];
                if (old is null)
                {
                    result.Add(new Change(layerName, path, metadata, Children: isDirectory ? Compare(path, relative + "/", all: true, cancellationToken) : null));
                    continue;
                }
                var now = RootSnapshot.Read(path);
                if (isDirectory)
                {
                    if (old.Kind == UnixFileKind.Directory && old.Inode == now.Inode && old.BtimeNs == now.BtimeNs)
                    {
                        var children = Compare(path, relative + "/", all: false, cancellationToken);
                        if (children.Count > 0 || OwnerOrModeChanged(relative, old, now, path) || old.XattrsHash != now.XattrsHash)
                        {
                            result.Add(new Change(layerName, path, metadata, Children: children));
                        }
                    }
                    else
                    {
                        result.Add(new Change(layerName, path, metadata, Opaque: true, Children: Compare(path, relative + "/", all: true, cancellationToken)));
                    }
                }
                else if (Changed(relative, old, now, path))
                {
                    result.Add(new Change(layerName, path, metadata));
                }
            }
            if (!all)
            {
                FileMetadata? self = null;
                foreach (string name in before.ChildrenOf(prefix.TrimEnd('/')))
                {
                    if (present.Contains(name) || _excluded.Contains(prefix + name)) continue;
                    self ??= FileMetadata.Read(directory);
                    result.Add(new Change(prefix + Whiteouts.Prefix + name, null, self.Value));
                }
            }
            result.Sort((a, b) => Utf8OrdinalComparer.Instance.Compare(a.Name, b.Name));
            return result;
        }

        private bool Changed(string relative, SnapshotEntry old, SnapshotEntry now, string path) =>
            old.Kind != now.Kind || OwnerOrModeChanged(relative, old, now, path) || old.Size != now.Size || old.MtimeNs != now.MtimeNs
            || old.Inode != now.Inode || old.RdevMajor != now.RdevMajor || old.RdevMinor != now.RdevMinor
            || old.LinkTarget != now.LinkTarget || old.XattrsHash != now.XattrsHash
            || now.LinkCount > old.LinkCount // a new name for it: overlay would have copied it up too
            // Its ctime moved though nothing above did (a write with the mtime set back); a removed
            // hard link also moves it, and so does the handover of a rootless diff (recorded in Owners).
            || (now.LinkCount == old.LinkCount && now.CtimeNs != old.CtimeNs && !options.Owners.ContainsKey(relative));

        /// <summary>Owner and permission bits as the container sees them, before and now.</summary>
        private bool OwnerOrModeChanged(string relative, SnapshotEntry old, SnapshotEntry now, string path)
        {
            long oldUid = options.Uids.ToContainer(old.Uid, "uid", path), oldGid = options.Gids.ToContainer(old.Gid, "gid", path);
            if (options.Owners.TryGetValue(relative, out var owner))
            {
                return owner.Uid != oldUid || owner.Gid != oldGid || (now.Kind != UnixFileKind.SymbolicLink && owner.Mode != old.Permissions);
            }
            return options.Uids.ToContainer(now.Uid, "uid", path) != oldUid || options.Gids.ToContainer(now.Gid, "gid", path) != oldGid
                || old.Permissions != now.Permissions;
        }
    }
}
