namespace Containerize.Engine.Layers;

public sealed record ExtractOptions
{
    /// <summary>Give entries the owner written in the layer (only possible when running as root).</summary>
    public bool PreserveOwnership { get; init; }

    /// <summary>Treat <c>.wh.</c> entries as OCI whiteouts instead of extracting them as files.</summary>
    public bool ApplyWhiteouts { get; init; } = true;

    /// <summary>
    /// Unpack the layer alone as an overlayfs lower directory: whiteouts become overlay whiteouts
    /// (0/0 character devices, opaque xattrs) instead of being applied, and the layer's own
    /// overlay xattrs are escaped. Null (the default) leaves whiteouts to <see cref="ApplyWhiteouts"/>.
    /// </summary>
    public OverlayWhiteoutFormat? OverlayWhiteouts { get; init; }

    /// <summary>
    /// With <see cref="OverlayWhiteouts"/>: the layers below, through which every entry's parents
    /// resolve (the layer's tree then holds each entry at its path in the image). Null: the layer alone.
    /// </summary>
    internal ILowerLayers? Lower { get; init; }
}
