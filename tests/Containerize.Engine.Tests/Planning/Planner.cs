using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Plans Dockerfile text the way the tests need it: linux/amd64 target and build platform by default.</summary>
internal static class Planner
{
    public const string DockerfileName = "Dockerfile";

    public static readonly Platform Amd64 = Platform.Parse("linux/amd64");

    public static Task<BuildPlan> PlanAsync(
        string dockerfile, FakeBaseImageResolver? resolver = null, IReadOnlyDictionary<string, string>? buildArgs = null,
        string? target = null, RecordingBuildLog? log = null, Platform? targetPlatform = null, Platform? buildPlatform = null,
        IReadOnlyDictionary<string, StageBase>? namedContexts = null)
    {
        var request = new PlanRequest(DockerfileLoader.Load(dockerfile, DockerfileName), DockerfileName, buildArgs ?? new Dictionary<string, string>(),
            target, targetPlatform ?? Amd64, buildPlatform ?? Amd64)
        {
            NamedContexts = namedContexts ?? new Dictionary<string, StageBase>(),
        };
        return BuildPlanner.PlanAsync(request, resolver ?? new FakeBaseImageResolver(), log ?? new RecordingBuildLog(), CancellationToken.None);
    }

    /// <summary>The steps of the target of type <typeparamref name="T"/>, expanded.</summary>
    public static List<T> Steps<T>(this BuildPlan plan) where T : Instruction =>
        plan.Target.Steps.Select(s => s.Instruction).OfType<T>().ToList();

    public static string Arg(this PlannedStep step, string name) =>
        step.Args.LastOrDefault(a => a.Name == name)?.Value ?? "<unset>";

    public static Dictionary<string, string> BuildArgs(params (string Name, string Value)[] args) =>
        args.ToDictionary(a => a.Name, a => a.Value);
}
