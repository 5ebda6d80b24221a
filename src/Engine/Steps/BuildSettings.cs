using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;

namespace Containerize.Engine.Steps;

/// <summary>The environment of a build: where blobs live, how registries are reached, where progress goes.</summary>
public sealed record BuildSettings
{
    public required BlobStore Store { get; init; }

    public RegistryOptions Registry { get; init; } = new();

    public IBuildLog Log { get; init; } = NullBuildLog.Instance;

    /// <summary>The step cache's size limit (its layer blobs); least recently used entries are pruned after a build that leaves it larger.</summary>
    public long CacheMaxSize { get; init; } = DefaultCacheMaxSize;

    public const long DefaultCacheMaxSize = 10L << 30;

    /// <summary>How RUN steps get their root; null: the CONTAINERIZE_ROOTFS environment variable, else overlay with the copy fallback.</summary>
    public Rootfs.RootfsMode? Rootfs { get; init; }

    /// <summary>
    /// The network of a RUN step without <c>--network</c> (<c>docker build --network</c>). Host grants
    /// <see cref="BuildEntitlements.NetworkHost"/> too, as <c>docker build --network=host</c> does.
    /// </summary>
    public ContainerNetwork RunNetwork { get; init; } = ContainerNetwork.Default;

    /// <summary>What the user granted the Dockerfile (<c>docker build --allow</c>).</summary>
    public BuildEntitlements Entitlements { get; init; } = BuildEntitlements.None;
}
