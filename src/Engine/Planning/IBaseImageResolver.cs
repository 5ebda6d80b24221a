using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// Gives the planner the configuration of a base image (its Env and OnBuild triggers matter to
/// planning). The planner asks for an image as often as stages use it, and once ahead of need:
/// an implementation resolves each image and platform once per build and answers again from
/// that (the registry-backed one keeps what the stages use later too); tests use a dictionary.
/// </summary>
public interface IBaseImageResolver
{
    /// <param name="reference">The normalized reference (<see cref="ImageReference.ToString"/>), e.g. <c>docker.io/library/alpine:3.20</c>.</param>
    /// <returns>The image's config, or null when the image has none to offer (treated as empty).</returns>
    Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct);
}
