using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Planning;

/// <summary>
/// Turns a loaded Dockerfile and the build's inputs into the stages to build, with every word
/// expanded as BuildKit's Dockerfile frontend does. Only the target and the stages it needs are
/// planned, so base images of other stages are never resolved; those it needs are resolved at the
/// same time, as far as the Dockerfile's plain words show them (<see cref="ReachableBaseImages"/>).
/// </summary>
public static class BuildPlanner
{
    /// <exception cref="ContainerizeException">Any planning or expansion error, positioned in the Dockerfile.</exception>
    public static async Task<BuildPlan> PlanAsync(PlanRequest request, IBaseImageResolver resolver, IBuildLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(log);
        string path = request.DockerfilePath;
        var expander = new InstructionExpander(new ShellLexer(request.Dockerfile.Syntax.EscapeToken), path);
        var (globalArgs, split) = DockerfileStages.Split(request.Dockerfile, path);
        var platformArgs = PredefinedArgs.ForPlatforms(request.TargetPlatform, request.BuildPlatform);
        var globals = GlobalScope.Evaluate(globalArgs, platformArgs, request.BuildArgs, expander);
        var stages = DockerfileStages.Name(split, globals, expander);
        int target = TargetIndex(request, stages);

        var baseImages = new BaseImageConfigs(resolver, ct);
        var references = new StageReferences(stages, request.NamedContexts);
        foreach (var (image, platform) in ReachableBaseImages.Find(stages, target, globals, expander, references, request.TargetPlatform)) baseImages.Start(image, platform);
        var planner = new StagePlanner(request, stages, globals, expander, baseImages, references);
        var outcome = await planner.PlanAsync(target).ConfigureAwait(false);

        var unconsumed = request.BuildArgs.Keys
            .Where(name => !globals.Declared.Contains(name) && !planner.DeclaredArgs.Contains(name)
                && !PredefinedArgs.IsPlatform(name) && !PredefinedArgs.IsProxy(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unconsumed.Count > 0)
        {
            log.Warning(ErrorCodes.UnconsumedBuildArgs, $"[Warning] One or more build-args [{string.Join(' ', unconsumed)}] were not consumed");
        }
        var proxies = PredefinedArgs.ProxyNames
            .Where(request.BuildArgs.ContainsKey)
            .Select(name => new BuildArgValue(name, request.BuildArgs[name]))
            .ToList();
        return new BuildPlan(planner.Ordered.AsReadOnly(), outcome.Stage, unconsumed, proxies);
    }

    private static int TargetIndex(PlanRequest request, IReadOnlyList<StageDeclaration> stages)
    {
        if (string.IsNullOrEmpty(request.Target)) return stages.Count - 1;
        var match = stages.FirstOrDefault(s => s.Name is not null && s.Name.Equals(request.Target, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match.Index;
        var names = stages.Where(s => s.Name is not null).Select(s => s.Name!).ToList();
        string known = names.Count == 0 ? "the Dockerfile names no stage (use FROM <image> AS <name>)" : "stages: " + string.Join(", ", names);
        throw new ContainerizeException(ErrorCodes.UnknownTargetStage,
            $"target stage \"{request.Target}\" could not be found; {known}.", new SourceLocation(request.DockerfilePath));
    }
}
