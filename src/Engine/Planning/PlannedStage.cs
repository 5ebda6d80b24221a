using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// A stage to build: its index and (lower-case) name in the Dockerfile, its base, platform, steps
/// (ONBUILD triggers of a base image first) and the indices of the stages it reads.
/// </summary>
public sealed record PlannedStage(
    int Index,
    string? Name,
    StageBase Base,
    Platform Platform,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlySet<int> DependsOn);
