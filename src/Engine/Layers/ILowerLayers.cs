namespace Containerize.Engine.Layers;

/// <summary>
/// The layers below one that is unpacked alone as an overlay lower directory, as the extraction
/// needs them: where each entry lands (its parents resolved through the layers below, symlinks
/// followed inside the image, as containerd applies a layer onto the merged tree), and where the
/// file a hard link names is when a lower layer holds it.
/// </summary>
internal interface ILowerLayers
{
    /// <summary>Records the entry (in tar order, every entry) on top of what is below and says where it lands.</summary>
    LowerPlacement Place(TarEntry entry);
}

/// <summary>
/// <see cref="Path"/>: the entry's resolved path relative to the root ("" for the root). For a hard
/// link, <see cref="LinkTarget"/> is its target's resolved path and <see cref="LinkTargetBelow"/> the
/// target's file in a lower layer's directory, to copy into this layer first; null when this layer has it.
/// </summary>
internal readonly record struct LowerPlacement(string Path, string? LinkTarget, string? LinkTargetBelow);
