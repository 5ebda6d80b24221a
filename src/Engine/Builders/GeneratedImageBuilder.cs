using System.Diagnostics;
using Containerize.Engine.Caching;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Solver;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>
/// Builds an image from project properties through the same solver as a Dockerfile: one stage on
/// the base image whose steps (<see cref="GeneratedImageSteps"/>) make the publish output's layer
/// and apply the properties, with the step cache; then exports the result.
/// </summary>
public static class GeneratedImageBuilder
{
    public static async Task<BuildResult> BuildAsync(
        GeneratedImageRequest request, ImageOutputs outputs, BuildSettings settings, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (!Directory.Exists(request.PublishDirectory))
        {
            throw new ContainerizeException(ErrorCodes.PublishDirectoryMissing,
                $"The publish folder '{request.PublishDirectory}' does not exist. Run the BuildImage target, which publishes first, or set PublishDir to the folder to put in the image.");
        }
        if (!request.WorkingDirectory.StartsWith('/'))
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"ContainerWorkingDirectory '{request.WorkingDirectory}' must be an absolute path inside the image, such as /app.");
        }

        KilledBuildLitter.Reclaim(settings.Store);
        using var session = new RegistrySession(settings.Registry with { Log = settings.Log });
        var images = new RegistryBaseImageResolver(session, settings.Store);
        StageBase baseImage = string.Equals(request.BaseImage, "scratch", StringComparison.OrdinalIgnoreCase)
            ? ScratchBase.Instance
            : new ImageBase(ImageReference.Parse(request.BaseImage), Config: null);
        // Named for its log lines: "[app 2/8] containerize: publish output to /app".
        var scheduler = new StageScheduler([new PlannedStage(0, "app", baseImage, request.Platform, [], new HashSet<int>())], parallelism: 1);
        using var scratch = new ScratchDirectory("containerize-build");
        using var sources = new StageSources(scheduler, request.PublishDirectory, IgnorePatterns.Empty, new Dictionary<string, string>(), images, session, settings, scratch);
        var solver = new StepSolver(settings, new StepCacheOptions(), request.SourceDateEpoch);
        var services = new StepServices(sources, solver.Cache.Hasher, settings, request.SourceDateEpoch);
        var result = await solver.SolveAsync(scheduler, 0, sources, images, session, _ => GeneratedImageSteps.For(request, services), _ => [],
            target => ImageExporter.ExportAsync(target.Assemble(request.Format ?? target.Base.Format, settings.Store), outputs, session, settings, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        settings.Log.Info($"Built image {result.ManifestDigest} in {stopwatch.Elapsed.TotalSeconds:F1} s");
        solver.PruneCache(cancellationToken);
        return result;
    }
}
