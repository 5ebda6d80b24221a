namespace Containerize.Engine.Steps;

/// <summary>
/// What a <c>RUN --mount=type=cache,from=…</c> starts from: the resolved folder, and a text naming
/// its content (a stage's diff IDs, an image reference, a context folder) that keeps caches seeded
/// from different content apart.
/// </summary>
internal sealed record CacheSeed(string Directory, string Identity);
