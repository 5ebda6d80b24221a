using System.Diagnostics;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Solver;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>
/// Builds an image from a Dockerfile: loads and plans it, builds the stages the target needs (at
/// the same time where they do not depend on each other, while base layers download and context
/// files are hashed in the background), assembles the target stage and exports it.
/// </summary>
public static class DockerfileImageBuilder
{
    public const string ImageContextScheme = "docker-image://";

    public static async Task<BuildResult> BuildAsync(
        DockerfileImageRequest request, ImageOutputs outputs, BuildSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        var stopwatch = Stopwatch.StartNew();
        string dockerfilePath = Path.GetFullPath(request.DockerfilePath);
        if (!File.Exists(dockerfilePath))
        {
            throw new ContainerizeException(ErrorCodes.DockerfileMissing,
                $"The Dockerfile '{dockerfilePath}' does not exist. Set ContainerDockerfile to the Dockerfile to build, or remove it to build the image from project properties.");
        }
        string contextDirectory = Path.GetFullPath(request.ContextDirectory);
        if (!Directory.Exists(contextDirectory))
        {
            throw new ContainerizeException(ErrorCodes.ContextDirectoryMissing,
                $"The build context '{contextDirectory}' does not exist. Set ContainerBuildContext to an existing folder (by default the project folder).");
        }

        int parallelism = BuildParallelism.Resolve(request.Parallelism);
        var secrets = SecretStore.Create(request.Secrets);
        var dockerfile = DockerfileLoader.Load(await File.ReadAllTextAsync(dockerfilePath, cancellationToken).ConfigureAwait(false), dockerfilePath);
        string? ignoreFile = DockerignoreFile.Locate(contextDirectory, dockerfilePath);
        var contextFilter = ignoreFile is null ? IgnorePatterns.Empty : DockerignoreFile.Read(ignoreFile);
        var (namedContexts, namedDirectories) = NamedContextSetting.Resolve(request.NamedContexts);

        using var session = new RegistrySession(settings.Registry with { Log = settings.Log });
        var images = new RegistryBaseImageResolver(session, settings.Store);
        var planRequest = new PlanRequest(dockerfile, dockerfilePath, request.BuildArgs, request.Target, request.Platform, Platform.Host)
        {
            NamedContexts = namedContexts,
        };
        var plan = await BuildPlanner.PlanAsync(planRequest, images, settings.Log, cancellationToken).ConfigureAwait(false);
        request.Cache.Validate(dockerfile.Instructions.OfType<Dockerfile.Instructions.FromInstruction>().Select(f => f.StageName));
        RunEntitlements.EnsureGranted(plan, settings, dockerfilePath);

        var scheduler = new StageScheduler(plan.Stages, parallelism);
        using var scratch = new ScratchDirectory("containerize-build");
        using var sources = new StageSources(scheduler, contextDirectory, contextFilter, namedDirectories, images, session, settings, scratch);
        var namespaces = UserNamespaceMapping.Detect();
        var runner = new ContainerRunner(idMapping: namespaces, onWarning: message => settings.Log.Warning(ErrorCodes.SingleIdUserNamespace, message));
        var unpacked = new UnpackedLayerStore(settings.Store, namespaceFiles: UserNamespaceFiles.For(namespaces));
        KilledBuildLitter.Reclaim(settings.Store);
        var runStep = new RunStep(runner, namespaces, unpacked, sources, secrets, request.SshAgents, session, settings, plan.ProxyArgs, request.SourceDateEpoch, RootfsChoice.For(settings.Rootfs, settings.Log));
        var solver = new StepSolver(settings, request.Cache, request.SourceDateEpoch);
        var services = new StepServices(sources, solver.Cache.Hasher, settings, request.SourceDateEpoch);
        var result = await solver.SolveAsync(scheduler, plan.Target.Index, sources, images, session,
            stage => DockerfileSteps.For(stage, dockerfilePath, services, runStep),
            stop => [BaseImagePrefetch.Start(plan, images, session, settings, stop), ContextPrehash.Start(plan, sources.ContextFolder, solver.Cache.Hasher, stop)],
            target => ImageExporter.ExportAsync(target.Assemble(request.Format ?? target.Base.Format, settings.Store), outputs, session, settings, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        settings.Log.Info($"Built image {result.ManifestDigest} from {Path.GetFileName(dockerfilePath)} in {stopwatch.Elapsed.TotalSeconds:F1} s: "
            + $"{solver.Cache.StepsRun} steps run, {solver.Cache.StepsCached} cached, {result.BytesPushed:N0} bytes pushed");
        solver.PruneCache(cancellationToken);
        return result;
    }
}
