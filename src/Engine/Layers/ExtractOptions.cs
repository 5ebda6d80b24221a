namespace Containerize.Engine.Layers;

public sealed record ExtractOptions
{
    /// <summary>Give entries the owner written in the layer (only possible when running as root).</summary>
    public bool PreserveOwnership { get; init; }

    /// <summary>Treat <c>.wh.</c> entries as OCI whiteouts instead of extracting them as files.</summary>
    public bool ApplyWhiteouts { get; init; } = true;
}
