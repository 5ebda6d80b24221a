using Containerize.Engine.Oci;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>An image to build from a Dockerfile.</summary>
public sealed record DockerfileImageRequest
{
    public required string DockerfilePath { get; init; }

    /// <summary>The build context: what COPY and ADD read, filtered by its .dockerignore.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>
    /// Named contexts for <c>COPY --from=&lt;name&gt;</c>: a directory, or <c>docker-image://&lt;reference&gt;</c>
    /// for an image that FROM and --from may name. A stage of the same name wins.
    /// </summary>
    public IReadOnlyDictionary<string, string> NamedContexts { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Secrets that <c>RUN --mount=type=secret,id=&lt;id&gt;</c> may mount, by id. A secret never enters a
    /// layer, the image config, its history or the log.
    /// </summary>
    public IReadOnlyDictionary<string, BuildSecret> Secrets { get; init; } = new Dictionary<string, BuildSecret>();

    /// <summary>
    /// SSH agent sockets that <c>RUN --mount=type=ssh,id=&lt;id&gt;</c> forwards, by id (<c>default</c> when
    /// the mount names none). The MSBuild task adds <c>default</c> = <c>$SSH_AUTH_SOCK</c> when it is set.
    /// </summary>
    public IReadOnlyDictionary<string, string> SshAgents { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage to build (<c>--target</c>); null builds the last one.</summary>
    public string? Target { get; init; }

    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>The manifest format; null keeps the target stage's base image format (OCI for scratch).</summary>
    public ImageFormat? Format { get; init; }

    /// <summary>Fixes created times and clamps file times, for reproducible images.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>Whether steps may come from the step cache (<c>--no-cache</c>, <c>--no-cache-filter</c>).</summary>
    public Caching.StepCacheOptions Cache { get; init; } = new();

    /// <summary>How many stages may work at once; null: one per core (<see cref="Solver.BuildParallelism"/>).</summary>
    public int? Parallelism { get; init; }
}
