using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Layers unpacked once per chain, each alone in its own directory, to be stacked as overlayfs
/// lower directories: <c>&lt;store&gt;/unpacked/chains/sha256/&lt;diff ID&gt;/&lt;chain ID&gt;/</c> (or
/// <c>unpacked-userxattr</c> for overlays mounted with <c>userxattr</c>). Whiteouts in a layer become
/// overlay whiteouts there. A layer's entries are placed as containerd applies them onto the
/// merged tree below (<see cref="LayerStackView"/>): a parent resolves through the lower layers'
/// symlinks, so <c>lib/x</c> over <c>lib -&gt; usr/lib</c> is unpacked as <c>usr/lib/x</c>, and a hard
/// link to a lower file gets a copy of it. The tree thus depends on the layers below, hence the
/// chain ID (which names them all) and not the diff ID alone; the diff ID folder above the chains
/// is what the step-cache pruner removes with a layer.
/// A directory appears only complete and verified: a layer is unpacked into a temporary
/// directory beside it, its diff ID checked, then renamed into place. Builds sharing the store
/// (MSBuild nodes, parallel stages) wait for each other on a per-layer lock file; if locking is
/// unavailable, both unpack and the first rename wins. A temporary directory's name carries its
/// process (<see cref="TemporaryName"/>): those of killed builds go when the store is next opened.
///
/// As an ordinary user (<see cref="NamespaceFiles"/> given) the layers must show, inside the RUN
/// containers' user namespace, the owners the image names: the layer is unpacked as the user (who
/// is container root there), its diff ID checked, then its headers are read again and every entry
/// owned by another id, or carrying a file capability, gets its owner, mode and capability from
/// <c>containerize-helper chown</c> inside a namespace with the same mapping. Such a tree is only
/// right for that mapping, so each mapping has its own folder, <c>unpacked-userns-&lt;mapping&gt;</c>,
/// and only the namespace can delete what it holds. With one mapped id, every entry stays the
/// user's (container root's): files the image gives to other users become root's.
/// Device nodes cannot be created without privileges and are left out of unprivileged unpacks.
/// </summary>
public sealed class UnpackedLayerStore
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly BlobStore _blobs;
    private readonly UnpackedTreeLayout _layout;

    /// <param name="format">The overlay xattrs the layers are written for; by default trusted.* as root, user.* (userxattr) otherwise.</param>
    /// <param name="namespaceFiles">The user namespace of the RUN containers when not root: layers get their owners in it.</param>
    public UnpackedLayerStore(BlobStore blobs, OverlayWhiteoutFormat? format = null, UserNamespaceFiles? namespaceFiles = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        NamespaceFiles = namespaceFiles;
        Format = namespaceFiles is not null ? OverlayWhiteoutFormat.UserXattrs
            : format ?? (LibC.IsRoot ? OverlayWhiteoutFormat.TrustedXattrs : OverlayWhiteoutFormat.UserXattrs);
        _layout = blobs.Layout.Unpacked(Format == OverlayWhiteoutFormat.UserXattrs, namespaceFiles?.Key);
        try
        {
            Directory.CreateDirectory(_layout.ChainsFolder);
            Directory.CreateDirectory(TempDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerizeException(ErrorCodes.StoreUnavailable,
                $"The unpacked layer folder '{Root}' cannot be created: {e.Message}. Set ContainerStorePath (or {BlobStore.RootEnvironmentVariable}) to a writable folder.", e);
        }
        RetirePerDiffIdTrees();
        TemporaryName.RemoveAbandonedIn(TempDirectory, RemoveTree);
    }

    public OverlayWhiteoutFormat Format { get; }

    /// <summary>Where owners are set and trees removed when not root; null as root.</summary>
    public UserNamespaceFiles? NamespaceFiles { get; }

    public string Root => _layout.Root;

    private string TempDirectory => _layout.TempFolder;

    /// <summary>Where the top layer of <paramref name="layersBottomFirst"/> is (or will be) unpacked over the others.</summary>
    public string PathFor(IReadOnlyList<Layer> layersBottomFirst)
    {
        ArgumentNullException.ThrowIfNull(layersBottomFirst);
        return PathFor(layersBottomFirst[^1].DiffId, ChainId.Of([.. layersBottomFirst.Select(l => l.DiffId)])[^1]);
    }

    private string PathFor(Digest diffId, Digest chainId) => _layout.TreePath(diffId, chainId);

    /// <summary>Whether the layer is unpacked over any layers below.</summary>
    public bool Contains(Digest diffId) =>
        Directory.Exists(_layout.DiffIdFolder(diffId)) && Directory.EnumerateDirectories(_layout.DiffIdFolder(diffId)).Any();

    /// <summary>The directory of a layer unpacked as an image's bottom (only) layer, unpacking it from its blob in the store first if needed.</summary>
    public async Task<string> GetOrUnpackAsync(Layer layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return (await GetLowerDirectoriesBottomFirstAsync([layer], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// The overlay lower directories of an image whose layers are given bottom first (as in the
    /// manifest), unpacked as needed, in the same order. Layers are unpacked bottom first, each over
    /// the ones below; those already unpacked are only indexed (from their header listings), and only
    /// when a layer above them still has to be unpacked.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetLowerDirectoriesBottomFirstAsync(IReadOnlyList<Layer> layersBottomFirst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layersBottomFirst);
        var chain = ChainId.Of([.. layersBottomFirst.Select(l => l.DiffId)]);
        var directories = new string[layersBottomFirst.Count];
        LayerStackView? view = null;
        for (int i = 0; i < layersBottomFirst.Count; i++)
        {
            directories[i] = PathFor(layersBottomFirst[i].DiffId, chain[i]);
            if (Directory.Exists(directories[i])) continue;
            view ??= new LayerStackView();
            while (view.Count < i)
            {
                await Task.Run(() => view.Add(_blobs, layersBottomFirst[view.Count], directories[view.Count], cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            await UnpackAsync(layersBottomFirst[i], chain[i], directories[i], view, cancellationToken).ConfigureAwait(false);
            if (view.Count == i) view.Add(_blobs, layersBottomFirst[i], directories[i], cancellationToken); // another build unpacked it meanwhile
        }
        return directories;
    }

    private async Task UnpackAsync(Layer layer, Digest chainId, string target, LayerStackView view, CancellationToken cancellationToken)
    {
        using var heldLock = await AcquireLockAsync(_layout.LockPath(chainId), cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(target)) return; // unpacked by whoever held the lock before us
        await Task.Run(() => UnpackCoreAsync(layer, target, view, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task UnpackCoreAsync(Layer layer, string target, LayerStackView view, CancellationToken cancellationToken)
    {
        string temp = Path.Combine(TempDirectory, TemporaryName.Create(layer.DiffId.Hex + "."));
        try
        {
            Directory.CreateDirectory(temp);
            LibC.Chmod(temp, 0b111_101_101);
            view.BeginUnpacking(layer);
            var options = new ExtractOptions { PreserveOwnership = true, OverlayWhiteouts = Format, Lower = view };
            VerifiedLayerStream.Read(_blobs, layer, tar => { new LayerExtraction(temp, options).Run(tar, cancellationToken); return true; }, cancellationToken);
            if (NamespaceFiles is not null)
            {
                var owners = LayerOwners.Read(_blobs, layer, view.PlacedPaths, NamespaceFiles.MapsOtherIds, cancellationToken);
                owners.AddRange(view.CopiedFromBelow.Select(o => NamespaceFiles.MapsOtherIds ? o : o with { Uid = 0, Gid = 0 }));
                await NamespaceFiles.ApplyOwnersAsync(temp, owners, cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Directory.Move(temp, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                await RemoveAsync(temp).ConfigureAwait(false); // another build unpacked it without the lock; its copy is as good
            }
            view.Unpacked(target);
        }
        catch
        {
            await RemoveAsync(temp).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>As the user, or inside the namespace for what belongs to subordinate ids.</summary>
    private Task RemoveAsync(string directory)
    {
        if (NamespaceFiles is not null) return NamespaceFiles.RemoveTreeAsync(directory);
        ScratchDirectory.DeleteTree(directory);
        return Task.CompletedTask;
    }

    /// <summary>
    /// An exclusive lock on a file: .NET takes flock(LOCK_EX|LOCK_NB) for FileShare.None on Unix,
    /// which the kernel releases when the process dies, so a crashed build never blocks the next.
    /// </summary>
    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                await Task.Delay(LockPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void RemoveTree(string directory) => RemoveAsync(directory).GetAwaiter().GetResult();

    /// <summary>Trees unpacked per diff ID by earlier versions no longer fit the layers they were meant for: they go, as a whole.</summary>
    private void RetirePerDiffIdTrees()
    {
        string old = _layout.PerDiffIdFolder;
        if (!Directory.Exists(old)) return;
        string doomed = Path.Combine(TempDirectory, TemporaryName.Create("per-diff-id."));
        try
        {
            Directory.Move(old, doomed);
            RemoveTree(doomed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: left in tmp, a later open removes it.
        }
    }
}
