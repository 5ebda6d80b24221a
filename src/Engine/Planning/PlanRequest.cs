using Containerize.Engine.Dockerfile;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>What to plan: the loaded Dockerfile, the caller's build args, the target stage (null: the last) and the platforms.</summary>
public sealed record PlanRequest(
    LoadedDockerfile Dockerfile,
    string DockerfilePath,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Target,
    Platform TargetPlatform,
    Platform BuildPlatform);
