using System.Collections.Concurrent;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;

namespace Containerize.Engine.Solver;

/// <summary>
/// Base image configs for the planner, from the registry (manifest and config only, no layers).
/// Each image is resolved once per build; the resolved images are kept for the stages that use them.
/// </summary>
public sealed class RegistryBaseImageResolver(RegistrySession session, BlobStore store) : IBaseImageResolver
{
    private readonly ConcurrentDictionary<(string Reference, string Platform), Task<ResolvedImage>> _resolved = new();

    public async Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct) =>
        (await ResolveAsync(ImageReference.Parse(reference), platform, ct).ConfigureAwait(false)).Config;

    /// <summary>The resolved image (manifest digest, layers) the config came from.</summary>
    public Task<ResolvedImage> ResolveAsync(ImageReference reference, Platform platform, CancellationToken ct) =>
        _resolved.GetOrAdd((reference.ToString(), platform.ToString()), _ => session.ResolveAsync(reference, platform, store, ct));
}
