using Containerize.Engine.Dockerfile;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// What to plan: the loaded Dockerfile, the caller's build args, the target stage (null: the last)
/// and the platforms. <see cref="NamedContexts"/> are the names <c>--from</c> (and, for image
/// aliases, FROM) may use besides stages: a <see cref="NamedContextBase"/> for a directory, an
/// <see cref="ImageBase"/> for an image alias. A stage of the same name wins over a named context.
/// </summary>
public sealed record PlanRequest(
    LoadedDockerfile Dockerfile,
    string DockerfilePath,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Target,
    Platform TargetPlatform,
    Platform BuildPlatform)
{
    public IReadOnlyDictionary<string, StageBase> NamedContexts { get; init; } = new Dictionary<string, StageBase>();
}
