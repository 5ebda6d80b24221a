using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Solver;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>
/// Downloads, from the start of the build and alongside the stages, the layers of every image the
/// stages will read files from: FROM images of stages whose steps (or whose child stages' steps)
/// touch files, and images named by <c>COPY --from</c> or <c>RUN --mount=from=</c>. A stage that
/// needs a layer still being downloaded waits for that download instead of starting another. A
/// failure here is left for the stage that needs the layer to report (<see cref="BackgroundWork"/>).
/// </summary>
internal static class BaseImagePrefetch
{
    public static BackgroundWork Start(BuildPlan plan, RegistryBaseImageResolver images, RegistrySession session, BuildSettings settings, CancellationToken ct)
    {
        var wanted = ImagesToRead(plan.Stages).ToList();
        return BackgroundWork.Start(stop => wanted.Count == 0 ? Task.CompletedTask
            : Task.WhenAll(wanted.Select(w => FetchAsync(w.Image, w.Platform, images, session, settings, stop))), ct);
    }

    private static async Task FetchAsync(ImageBase image, Oci.Platform platform, RegistryBaseImageResolver images, RegistrySession session, BuildSettings settings, CancellationToken ct)
    {
        try
        {
            var resolved = await images.ResolveAsync(image.Reference, platform, ct).ConfigureAwait(false);
            await session.EnsureBlobsAsync(BaseImage.From(resolved).Layers, settings.Store, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            settings.Log.Detail($"Fetching the layers of {image.Reference.ToFamiliarString()} ahead of time failed ({e.Message}); the stage that needs them tries again.");
            throw;
        }
    }

    /// <summary>The images whose layers some stage will read, each once per platform.</summary>
    internal static IEnumerable<(ImageBase Image, Oci.Platform Platform)> ImagesToRead(IReadOnlyList<PlannedStage> stages)
    {
        // Plan order puts a stage before the stages that read it, so walking backwards settles
        // every reader before the stage it reads.
        var readsFiles = new HashSet<int>();
        for (int i = stages.Count - 1; i >= 0; i--)
        {
            var stage = stages[i];
            if (stage.Steps.Any(s => s.Instruction is CopyInstruction or AddInstruction or RunInstruction or WorkdirInstruction))
            {
                readsFiles.Add(stage.Index);
            }
            if (readsFiles.Contains(stage.Index) && stage.Base is StageReference parent) readsFiles.Add(parent.StageIndex);
            foreach (var source in stage.Steps.SelectMany(s => s.Sources.Values).OfType<StageReference>()) readsFiles.Add(source.StageIndex);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            if (stage.Base is ImageBase image && readsFiles.Contains(stage.Index) && seen.Add($"{image.Reference} {stage.Platform}"))
            {
                yield return (image, stage.Platform);
            }
            foreach (var source in stage.Steps.SelectMany(s => s.Sources.Values).OfType<ImageBase>())
            {
                if (seen.Add($"{source.Reference} {stage.Platform}")) yield return (source, stage.Platform);
            }
        }
    }
}
