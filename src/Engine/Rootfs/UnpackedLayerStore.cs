using Containerize.Engine.Errors;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Layers;
using Containerize.Engine.Layers.Native;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Layers unpacked once per diff ID, each alone in its own directory, to be stacked as overlayfs
/// lower directories: <c>&lt;store&gt;/unpacked/sha256/&lt;hex&gt;/</c> (or <c>unpacked-userxattr</c> for
/// overlays mounted with <c>userxattr</c>). Whiteouts in a layer become overlay whiteouts there.
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

    /// <param name="format">The overlay xattrs the layers are written for; by default trusted.* as root, user.* (userxattr) otherwise.</param>
    /// <param name="namespaceFiles">The user namespace of the RUN containers when not root: layers get their owners in it.</param>
    public UnpackedLayerStore(BlobStore blobs, OverlayWhiteoutFormat? format = null, UserNamespaceFiles? namespaceFiles = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        NamespaceFiles = namespaceFiles;
        Format = namespaceFiles is not null ? OverlayWhiteoutFormat.UserXattrs
            : format ?? (LibC.IsRoot ? OverlayWhiteoutFormat.TrustedXattrs : OverlayWhiteoutFormat.UserXattrs);
        Root = Path.Combine(blobs.Root, namespaceFiles is not null ? "unpacked-userns-" + namespaceFiles.Key
            : Format == OverlayWhiteoutFormat.UserXattrs ? "unpacked-userxattr" : "unpacked");
        try
        {
            Directory.CreateDirectory(Path.Combine(Root, "sha256"));
            Directory.CreateDirectory(TempDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerizeException(ErrorCodes.StoreUnavailable,
                $"The unpacked layer folder '{Root}' cannot be created: {e.Message}. Set ContainerStorePath (or {BlobStore.RootEnvironmentVariable}) to a writable folder.", e);
        }
        TemporaryName.RemoveAbandonedIn(TempDirectory, RemoveTree);
    }

    public OverlayWhiteoutFormat Format { get; }

    /// <summary>Where owners are set and trees removed when not root; null as root.</summary>
    public UserNamespaceFiles? NamespaceFiles { get; }

    public string Root { get; }

    private string TempDirectory => Path.Combine(Root, "tmp");

    /// <summary>Where the layer with this diff ID is (or will be) unpacked.</summary>
    public string PathFor(Digest diffId) => Path.Combine(Root, diffId.Algorithm, diffId.Hex);

    public bool Contains(Digest diffId) => Directory.Exists(PathFor(diffId));

    /// <summary>The layer's unpacked directory, unpacking it from its blob in the store first if needed.</summary>
    public Task<string> GetOrUnpackAsync(Layer layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        string target = PathFor(layer.DiffId);
        if (Directory.Exists(target)) return Task.FromResult(target);
        return UnpackAsync(layer, target, cancellationToken);
    }

    /// <summary>
    /// The overlay lower directories of an image whose layers are given bottom first (as in the
    /// manifest), unpacked as needed, in <c>lowerdir=</c> order: the top-most layer first. A layer
    /// that occurs twice is kept only where it is highest, which shows the same tree.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetLowerDirectoriesAsync(IReadOnlyList<Layer> layers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var directories = new string[layers.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(4, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, layers.Count), options,
            async (i, ct) => directories[i] = await GetOrUnpackAsync(layers[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var topFirst = new List<string>(layers.Count);
        for (int i = directories.Length - 1; i >= 0; i--)
        {
            if (seen.Add(directories[i])) topFirst.Add(directories[i]);
        }
        return topFirst;
    }

    private async Task<string> UnpackAsync(Layer layer, string target, CancellationToken cancellationToken)
    {
        using var heldLock = await AcquireLockAsync(Path.Combine(TempDirectory, layer.DiffId.Hex + ".lock"), cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(target)) return target; // unpacked by whoever held the lock before us
        return await Task.Run(() => UnpackCoreAsync(layer, target, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> UnpackCoreAsync(Layer layer, string target, CancellationToken cancellationToken)
    {
        string temp = Path.Combine(TempDirectory, TemporaryName.Create(layer.DiffId.Hex + "."));
        try
        {
            Directory.CreateDirectory(temp);
            LibC.Chmod(temp, 0b111_101_101);
            Digest actual;
            using (var blob = _blobs.OpenRead(layer.Descriptor.Digest))
            using (var tar = new HashingReadStream(LayerCompression.OpenTar(blob)))
            {
                var options = new ExtractOptions { PreserveOwnership = true, OverlayWhiteouts = Format };
                new LayerExtraction(temp, options).Run(tar, cancellationToken);
                tar.ReadToEnd(cancellationToken);
                actual = tar.GetDigest();
            }
            if (actual != layer.DiffId)
            {
                throw new ContainerizeException(ErrorCodes.UnpackedLayerMismatch,
                    $"The layer {layer.Descriptor.Digest} unpacks to content with diff ID {actual}, not the {layer.DiffId} the image config names. "
                    + "The blob in the store is corrupt or belongs to another image; remove it from the store and pull the image again.");
            }
            if (NamespaceFiles is not null)
            {
                var owners = LayerOwners.Read(_blobs, layer, NamespaceFiles.MapsOtherIds, cancellationToken);
                await NamespaceFiles.ApplyOwnersAsync(temp, owners, cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Directory.Move(temp, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                await RemoveAsync(temp).ConfigureAwait(false); // another build unpacked it without the lock; its copy is as good
            }
            return target;
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
}
