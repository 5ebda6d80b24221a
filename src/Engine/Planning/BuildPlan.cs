namespace Containerize.Engine.Planning;

/// <summary>
/// The stages the target needs, dependencies before dependents, each once. <see cref="ProxyArgs"/>
/// are the proxy build args given by the caller (HTTP_PROXY…): RUN receives them without an ARG
/// declaration, and they stay out of history and cache keys as in Docker.
/// </summary>
public sealed record BuildPlan(
    IReadOnlyList<PlannedStage> Stages,
    PlannedStage Target,
    IReadOnlyList<string> UnconsumedBuildArgs,
    IReadOnlyList<BuildArgValue> ProxyArgs);
