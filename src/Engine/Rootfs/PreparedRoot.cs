using Containerize.Engine.Execution;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// The root file system of one container, made from a layer stack (<see cref="LayerStackRootfs"/>):
/// an overlay (<see cref="OverlayRoot"/>) or a copy (<see cref="CopiedRoot"/>). It gives the container
/// spec what it mounts and, after the command, the command's changes as a layer. Its folders live
/// in the caller's scratch folder and go with it (rootless, that takes a helper in the user
/// namespace, run once for the whole scratch folder).
/// </summary>
internal abstract class PreparedRoot(UserNamespaceFiles? namespaceFiles)
{
    /// <summary><paramref name="spec"/> with this root.</summary>
    public abstract ContainerSpec MountedIn(ContainerSpec spec);

    /// <summary>The changes the command made, as a layer in <paramref name="store"/>.</summary>
    public abstract Task<UpperDiff> CommitAsync(UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken);

    /// <summary>Rootless: the tree is handed to the user before it is read; the owners it had, in container ids.</summary>
    protected async Task<UpperDiffOptions> WithOwnersOfAsync(string directory, UpperDiffOptions options, CancellationToken cancellationToken) =>
        namespaceFiles is null ? options
            : options with { Owners = await namespaceFiles.TakeOwnershipAsync(directory, cancellationToken).ConfigureAwait(false) };
}
