using System.Diagnostics;
using System.Globalization;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Caching;
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
        string created = (request.SourceDateEpoch ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var namespaces = UserNamespaceMapping.Detect();
        var runner = new ContainerRunner(idMapping: namespaces, onWarning: message => settings.Log.Warning(ErrorCodes.SingleIdUserNamespace, message));
        var unpacked = new UnpackedLayerStore(settings.Store, namespaceFiles: UserNamespaceFiles.For(namespaces));
        KilledBuildLitter.Reclaim(settings.Store);
        var runStep = new RunStep(runner, namespaces, unpacked, sources, secrets, request.SshAgents, session, settings, plan.ProxyArgs, request.SourceDateEpoch, RootfsChoice.For(settings.Rootfs, settings.Log));
        var stepCache = new StepCache(settings.Store);
        var cache = new BuildStepCache(stepCache, request.Cache, settings.Log);
        var keys = new StepKeys(sources, images, cache.Hasher, request.SourceDateEpoch, settings.RunNetwork);
        var executor = new StageExecutor(dockerfilePath, sources, runStep, images, session, settings, request.SourceDateEpoch, created, cache, keys);
        BuildResult result;
        using (await stepCache.UseAsync(cancellationToken).ConfigureAwait(false))
        {
            BuiltStage target;
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await using var prefetch = BaseImagePrefetch.Start(plan, images, session, settings, stop.Token);
                await using var prehash = ContextPrehash.Start(plan, sources.ContextFolder, cache.Hasher, stop.Token);
                if (plan.Stages.Count > 1) settings.Log.Detail($"Building {plan.Stages.Count} stages, up to {scheduler.Parallelism} at a time");
                target = await scheduler.RunAsync(plan.Target.Index,
                    (stage, position, ct) => executor.ExecuteAsync(stage, position + 1, plan.Stages.Count, ct), stop).ConfigureAwait(false);
            }

            var image = target.Assemble(request.Format ?? target.Base.Format, settings.Store);
            result = await ImageExporter.ExportAsync(image, outputs, session, settings, cancellationToken).ConfigureAwait(false);
        }
        settings.Log.Info($"Built image {result.ManifestDigest} from {Path.GetFileName(dockerfilePath)} in {stopwatch.Elapsed.TotalSeconds:F1} s: "
            + $"{cache.StepsRun} steps run, {cache.StepsCached} cached, {result.BytesPushed:N0} bytes pushed");
        PruneCache(stepCache, settings, cancellationToken);
        return result;
    }

    /// <summary>After the build, least recently used cache entries go while the cache is over its limit (skipped while another build runs).</summary>
    private static void PruneCache(StepCache cache, BuildSettings settings, CancellationToken ct)
    {
        if (StepCachePruner.TryPrune(cache, settings.CacheMaxSize, ct) is not { } pruned)
        {
            settings.Log.Detail("Step cache not pruned: another build is using the store.");
            return;
        }
        if (pruned.RecordsRemoved > 0)
        {
            settings.Log.Info($"Step cache over {ByteSize.Format(settings.CacheMaxSize)}: removed {pruned.RecordsRemoved} least recently used entries, "
                + $"freed {ByteSize.Format(pruned.BytesFreed)}; {pruned.RecordsKept} entries ({ByteSize.Format(pruned.BytesKept)}) kept");
        }
    }
}
