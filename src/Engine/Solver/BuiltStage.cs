using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;

namespace Containerize.Engine.Solver;

/// <summary>
/// A stage after its steps ran: what it started from, its configuration (without rootfs and
/// history, which assembly adds), the layers and history entries its steps added, and the cache
/// key its last step ended with (what <c>FROM stage</c> and <c>COPY --from=stage</c> build on).
/// </summary>
public sealed record BuiltStage(
    int Index,
    BaseImage Base,
    ImageConfig Config,
    IReadOnlyList<Layer> NewLayers,
    IReadOnlyList<HistoryEntry> NewHistory)
{
    public Digest CacheKey { get; init; }

    /// <summary>Every layer of the stage, base layers first.</summary>
    public IReadOnlyList<Layer> Layers =>
        [.. Base.Layers, .. NewLayers];

    /// <summary>The stage as the base of a later stage (<c>FROM stage</c>).</summary>
    public BaseImage AsBase() => new()
    {
        Config = Config with
        {
            RootFs = new RootFs { DiffIds = Layers.Select(l => l.DiffId).ToList() },
            History = [.. Base.Config?.History ?? [], .. NewHistory],
        },
        Layers = Layers,
        Format = Base.Format,
    };

    public BuiltImage Assemble(ImageFormat format, BlobStore store) =>
        ImageAssembler.Assemble(Base, Config, NewLayers, NewHistory, format, store);
}
