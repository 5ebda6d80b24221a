using Containerize.Engine.Execution;
using Containerize.Engine.Layers;

namespace Containerize.Engine.Rootfs;

/// <summary>How the upper directory of a RUN step becomes a layer.</summary>
public sealed record UpperDiffOptions
{
    /// <summary>
    /// Media type, compression and times of the layer. Owners always come from the upper directory
    /// and the layer is rooted at <c>/</c>, so <see cref="LayerOptions.Uid"/>, <see cref="LayerOptions.Gid"/>
    /// and <see cref="LayerOptions.DestinationRoot"/> are ignored. The default keeps every file's
    /// mtime, as BuildKit does without SOURCE_DATE_EPOCH; pass <see cref="TimestampMode.Clamp"/> with
    /// SOURCE_DATE_EPOCH as <see cref="LayerOptions.Timestamp"/> for a reproducible layer.
    /// </summary>
    public LayerOptions Layer { get; init; } = new() { TimestampMode = TimestampMode.Clamp, Timestamp = DateTimeOffset.MaxValue };

    /// <summary>Host uid → container uid (the RUN's <c>/proc/&lt;pid&gt;/uid_map</c>); identity when the step ran as real root.</summary>
    public IdMapping Uids { get; init; } = IdMapping.Identity;

    /// <summary>Host gid → container gid (<c>gid_map</c>).</summary>
    public IdMapping Gids { get; init; } = IdMapping.Identity;

    /// <summary>
    /// Paths relative to the upper directory ('/'-separated, e.g. <c>proc</c>, <c>dev</c>) that the
    /// helper created as mount points: they and everything below them stay out of the layer.
    /// </summary>
    public IReadOnlyCollection<string> ExcludedPaths { get; init; } = [];

    /// <summary>
    /// Entries (by path relative to the upper directory, no trailing '/') whose owner, mode and
    /// capability on disk are not the container's: a rootless step's upper directory is handed to
    /// the user before it is read (<see cref="UserNamespaceFiles.TakeOwnershipAsync"/>), which
    /// records what each changed entry had, already in container ids. They are taken from here, not
    /// translated through <see cref="Uids"/>/<see cref="Gids"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ContainerFileOwner> Owners { get; init; } = new Dictionary<string, ContainerFileOwner>();
}
