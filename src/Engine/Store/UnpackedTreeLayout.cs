using Containerize.Engine.Oci;

namespace Containerize.Engine.Store;

/// <summary>
/// One flavour of unpacked layers (<see cref="StoreLayout.Unpacked"/>): a layer's tree over the
/// layers below it at <c>chains/&lt;algorithm&gt;/&lt;diff ID&gt;/&lt;chain ID&gt;</c>, so the diff ID
/// folder holds every tree of that layer; temporary trees and per-chain locks in <c>tmp/</c>.
/// </summary>
public sealed class UnpackedTreeLayout(string root)
{
    public string Root { get; } = root;

    public string ChainsFolder => Path.Combine(Root, "chains");

    public string TempFolder => Path.Combine(Root, "tmp");

    /// <summary>Where earlier versions unpacked layers per diff ID alone.</summary>
    public string PerDiffIdFolder => Path.Combine(Root, "sha256");

    /// <summary>Every tree of the layer with this diff ID, one per chain below it.</summary>
    public string DiffIdFolder(Digest diffId) => Path.Combine(ChainsFolder, diffId.Algorithm, diffId.Hex);

    public string TreePath(Digest diffId, Digest chainId) => Path.Combine(DiffIdFolder(diffId), chainId.Hex);

    /// <summary>Held while one build unpacks the chain, so others wait instead of unpacking it too.</summary>
    public string LockPath(Digest chainId) => Path.Combine(TempFolder, chainId.Hex + ".lock");
}
