using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// Gives the planner the configuration of a base image (its Env and OnBuild triggers matter to
/// planning). A registry-backed implementation pulls the config; tests use a dictionary.
/// </summary>
public interface IBaseImageResolver
{
    /// <param name="reference">The normalized reference (<see cref="ImageReference.ToString"/>), e.g. <c>docker.io/library/alpine:3.20</c>.</param>
    /// <returns>The image's config, or null when the image has none to offer (treated as empty).</returns>
    Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct);
}
