using Containerize.Engine.Oci;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// The layer a RUN step produced. A step that changed nothing still has a layer, the empty tar
/// (diff ID <see cref="EmptyTarDiffId"/>), as BuildKit gives it one: the caller records the
/// history entry with that layer, not as <c>empty_layer</c>.
/// </summary>
public sealed record UpperDiff(Layer Layer, int EntryCount)
{
    /// <summary>The diff ID of a tar with no entries (two zero blocks), the same in every builder.</summary>
    public const string EmptyTarDiffId = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    public bool HasChanges => EntryCount > 0;
}
