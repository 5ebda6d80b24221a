using Containerize.Engine.Oci;

namespace Containerize.Engine.Store;

/// <summary>
/// Where everything a store holds lies under its root; the only place these paths are derived, so
/// what one part of the engine writes is what another finds and what pruning removes:
/// <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c> content-addressed blobs, <c>tmp/</c> their partial files,
/// <c>layer-headers/&lt;algorithm&gt;/&lt;hex&gt;</c> the entry headers of a layer blob,
/// <c>cache/</c> the step cache (<c>records/sha256/&lt;key&gt;</c>, <c>tmp/</c>, <c>builds.lock</c>),
/// <c>cache-mounts/&lt;id hash&gt;</c> the directories of <c>RUN --mount=type=cache</c>, and
/// <c>unpacked*/</c> the layers unpacked for RUN, one folder per overlay flavour (<see cref="UnpackedTreeLayout"/>).
/// </summary>
public sealed class StoreLayout(string root)
{
    private const string UnpackedPrefix = "unpacked";

    public string Root { get; } = Path.GetFullPath(root);

    public string BlobFolder(string algorithm) => Path.Combine(Root, "blobs", algorithm);

    public string BlobPath(Digest digest) => Path.Combine(BlobFolder(digest.Algorithm), digest.Hex);

    /// <summary>Partial blobs and listings, renamed into place when complete.</summary>
    public string TempFolder => Path.Combine(Root, "tmp");

    public string LayerHeadersPath(Digest layer) => Path.Combine(Root, "layer-headers", layer.Algorithm, layer.Hex);

    public string StepCacheFolder => Path.Combine(Root, "cache");

    public string StepCacheRecordFolder => Path.Combine(StepCacheFolder, "records", "sha256");

    public string StepCacheRecordPath(Digest key) => Path.Combine(StepCacheRecordFolder, key.Hex);

    public string StepCacheTempFolder => Path.Combine(StepCacheFolder, "tmp");

    /// <summary>Held shared by running builds, exclusively by a prune.</summary>
    public string BuildsLockPath => Path.Combine(StepCacheFolder, "builds.lock");

    /// <summary>The directory of one <c>RUN --mount=type=cache</c>, by the hash of its id (and source).</summary>
    public string CacheMountFolder(string key) => Path.Combine(Root, "cache-mounts", key);

    /// <summary>
    /// The unpacked layers of one overlay flavour: <c>unpacked</c> (trusted.* xattrs, as root),
    /// <c>unpacked-userxattr</c> (user.* xattrs), or <c>unpacked-userns-&lt;mapping&gt;</c> (owners set
    /// inside a user namespace with that mapping).
    /// </summary>
    public UnpackedTreeLayout Unpacked(bool userXattrs, string? userNamespaceKey = null) =>
        new(Path.Combine(Root, userNamespaceKey is not null ? $"{UnpackedPrefix}-userns-{userNamespaceKey}"
            : userXattrs ? $"{UnpackedPrefix}-userxattr" : UnpackedPrefix));

    /// <summary>Every flavour of unpacked layers the store holds; none when the root cannot be read.</summary>
    public IReadOnlyList<UnpackedTreeLayout> ExistingUnpacked()
    {
        try
        {
            return [.. Directory.GetDirectories(Root, UnpackedPrefix + "*").Select(folder => new UnpackedTreeLayout(folder))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
