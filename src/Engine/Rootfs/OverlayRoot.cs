using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Store;

namespace Containerize.Engine.Rootfs;

/// <summary>An overlay of the unpacked layers with an empty upper directory, which receives the command's changes and becomes the layer.</summary>
internal sealed class OverlayRoot : PreparedRoot
{
    private readonly IReadOnlyList<string> _lowerDirectoriesBottomFirst;
    private readonly string _upper;
    private readonly string _work;

    public OverlayRoot(IReadOnlyList<string> lowerDirectoriesBottomFirst, ScratchDirectory scratch, UserNamespaceFiles? namespaceFiles)
        : base(namespaceFiles)
    {
        _lowerDirectoriesBottomFirst = lowerDirectoriesBottomFirst;
        _upper = scratch.CreateSubdirectory("upper");
        _work = scratch.CreateSubdirectory("work");
    }

    public override ContainerSpec MountedIn(ContainerSpec spec) =>
        spec with { LowerDirectoriesBottomFirst = _lowerDirectoriesBottomFirst, UpperDirectory = _upper, OverlayWorkDirectory = _work, RootDirectory = null };

    public override async Task<UpperDiff> CommitAsync(UpperDiffOptions options, BlobStore store, CancellationToken cancellationToken) =>
        await UpperDirectoryDiff.WriteLayerAsync(_upper, await WithOwnersOfAsync(_upper, options, cancellationToken).ConfigureAwait(false), store, cancellationToken)
            .ConfigureAwait(false);
}
