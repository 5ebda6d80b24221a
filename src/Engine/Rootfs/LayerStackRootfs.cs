using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Prepares the root of a container from a layer stack and runs the container in it, apart from how
/// the container runs: an overlay of the unpacked layers while <see cref="RootfsChoice"/> allows it;
/// where it says copy, or the overlay mount is refused (CTZ7005, the first mount being the probe), a
/// copy of the layers, and the build keeps to the copy from then on.
/// </summary>
internal sealed class LayerStackRootfs(RootfsChoice choice, UserNamespaceMapping mapping, UserNamespaceFiles? namespaceFiles)
{
    /// <param name="lowerDirectoriesBottomFirst">The unpacked layers (<see cref="UnpackedLayerStore.GetLowerDirectoriesBottomFirstAsync"/>).</param>
    /// <param name="run">Runs the container with <see cref="PreparedRoot.MountedIn"/>; it may be called twice, the second time on the copy.</param>
    /// <returns>The root the container ran in, for its changes (<see cref="PreparedRoot.CommitAsync"/>).</returns>
    public async Task<PreparedRoot> RunAsync(
        IReadOnlyList<string> lowerDirectoriesBottomFirst, ScratchDirectory scratch, RootfsUse use, Func<PreparedRoot, Task> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!choice.UseCopy)
        {
            var overlay = new OverlayRoot(lowerDirectoriesBottomFirst, scratch, namespaceFiles);
            try
            {
                await run(overlay).ConfigureAwait(false);
                return overlay;
            }
            catch (ContainerizeException e) when (e.Code == ErrorCodes.OverlayMountFailed)
            {
                choice.SwitchToCopy(e.Message);
            }
        }
        else
        {
            choice.AnnounceForced();
        }
        var copy = await CopiedRoot.PrepareAsync(lowerDirectoriesBottomFirst, scratch, mapping, namespaceFiles, use, cancellationToken).ConfigureAwait(false);
        await run(copy).ConfigureAwait(false);
        return copy;
    }
}
