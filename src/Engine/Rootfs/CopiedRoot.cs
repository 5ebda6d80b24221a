using System.Diagnostics;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// The copy fallback: the stacked layers copied into one directory (<see cref="LayerStackCopier"/>)
/// that the command changes in place. Where the changes are kept, a snapshot is taken before the
/// command and the diff against it becomes the layer (<see cref="RootSnapshot"/>, <see cref="SnapshotDiff"/>).
/// </summary>
internal sealed class CopiedRoot : PreparedRoot
{
    private readonly string _root;
    private readonly RootfsUse _use;
    private readonly RootSnapshot? _snapshot;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _prepared;

    private CopiedRoot(string root, RootfsUse use, RootSnapshot? snapshot, Stopwatch clock, UserNamespaceFiles? namespaceFiles)
        : base(namespaceFiles)
    {
        _root = root;
        _use = use;
        _snapshot = snapshot;
        _clock = clock;
        _prepared = clock.Elapsed;
    }

    public static async Task<CopiedRoot> PrepareAsync(
        IReadOnlyList<string> lowerDirectoriesBottomFirst, ScratchDirectory scratch, UserNamespaceMapping mapping, UserNamespaceFiles? namespaceFiles,
        RootfsUse use, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string root = scratch.CreateSubdirectory("rootfs");
        use.Detail?.Invoke($"copy fallback root: {root}");
        try
        {
            var owners = await Task.Run(() => LayerStackCopier.Copy(lowerDirectoriesBottomFirst, root, namespaceFiles is null, mapping.Uids, mapping.Gids, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            if (namespaceFiles is not null) await namespaceFiles.ApplyOwnersAsync(root, owners, cancellationToken).ConfigureAwait(false);
            var snapshot = use.KeepsChanges ? await Task.Run(() => RootSnapshot.Take(root, cancellationToken), cancellationToken).ConfigureAwait(false) : null;
            return new CopiedRoot(root, use, snapshot, clock, namespaceFiles);
        }
        catch (UnauthorizedAccessException e)
        {
            // Rootless: a directory or file of the image that only another container user may read.
            string message = $"{use.CopyRefused}: {e.Message} The image has files or folders only another user inside the container may read. {use.AsRoot} as root, "
                + "or where overlay can be mounted (ContainerStorePath and the temp folder on ext4, xfs, btrfs or tmpfs).";
            throw use.Location is { } location ? new ContainerizeException(ErrorCodes.RootfsCopyFailed, message, location) : new ContainerizeException(ErrorCodes.RootfsCopyFailed, message);
        }
    }

    public override ContainerSpec MountedIn(ContainerSpec spec) =>
        spec with { RootDirectory = _root, LowerDirectoriesBottomFirst = [], UpperDirectory = "", OverlayWorkDirectory = "" };

    public override async Task<UpperDiff> CommitAsync(UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot ?? throw new InvalidOperationException("A copied root whose changes are not kept has no layer.");
        var ran = _clock.Elapsed;
        var diff = await SnapshotDiff.WriteLayerAsync(_root, snapshot, await WithOwnersOfAsync(_root, options, cancellationToken).ConfigureAwait(false), store, cancellationToken)
            .ConfigureAwait(false);
        _use.Detail?.Invoke($"copy fallback: {snapshot.Count} entries copied and snapshotted in {_prepared.TotalMilliseconds:F0} ms, "
            + $"command {(ran - _prepared).TotalMilliseconds:F0} ms, diff of {diff.EntryCount} entries in {(_clock.Elapsed - ran).TotalMilliseconds:F0} ms");
        return diff;
    }
}
