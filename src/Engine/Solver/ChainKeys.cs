using Containerize.Engine.Caching;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Solver;

/// <summary>
/// The chain of cache keys through a stage, as BuildKit derives it: a stage starts from its base
/// (the manifest digest and platform of an image, the final key of an earlier stage, a constant for
/// scratch); each step's own key (its <see cref="BuildStep"/> computes it) holds the key before it.
/// After a step, the chain goes on from the step's key and its layer's diff ID, so a step that ran
/// again (no-cache) and made a different layer invalidates what follows, and one that made the same
/// layer does not.
/// </summary>
internal sealed class ChainKeys(DateTimeOffset? sourceDateEpoch)
{
    private readonly string _buildWide = BuildWideKey.For(sourceDateEpoch);

    public Digest Scratch(Platform platform) => CacheKeyBuilder.Of("scratch", k => k.Add(_buildWide).Add(platform.ToString()));

    public Digest Image(Digest manifestDigest, Platform platform) =>
        CacheKeyBuilder.Of("image", k => k.Add(_buildWide).Add(manifestDigest).Add(platform.ToString()));

    /// <summary>A step that only changes the configuration (ENV, LABEL, USER, …) by the history text it records, which holds its expanded values.</summary>
    public static Digest Metadata(Digest parent, string history) => CacheKeyBuilder.Of("metadata", k => k.Add(parent).Add(history));

    /// <summary>The chain after a step that ran or came from the cache.</summary>
    public static Digest After(Digest parent, Digest stepKey, Layer? layer) =>
        CacheKeyBuilder.Of("after", k => k.Add(parent).Add(stepKey).Add(layer?.DiffId.ToString() ?? "no layer"));
}
