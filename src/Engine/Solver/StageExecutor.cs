using System.Diagnostics;
using System.Globalization;
using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Solver;

/// <summary>
/// Runs the typed steps of one planned stage on its base: for each step, its key, the step cache,
/// the step itself on a miss, its record in the stage's configuration, and its log line. A hit
/// takes the recorded layer and does nothing else (no base layer is downloaded, indexed or unpacked
/// for it); a step without a key only changes the configuration.
/// </summary>
internal sealed class StageExecutor(
    Func<PlannedStage, StageRecipe> recipes,
    StageSources sources,
    RegistryBaseImageResolver images,
    RegistrySession session,
    BuildSettings settings,
    DateTimeOffset? sourceDateEpoch,
    string created,
    BuildStepCache cache)
{
    private readonly ChainKeys _keys = new(sourceDateEpoch);

    public async Task<BuiltStage> ExecuteAsync(PlannedStage stage, int position, int stageCount, CancellationToken ct)
    {
        var (baseImage, key) = await ResolveBaseAsync(stage, ct).ConfigureAwait(false);
        var inherited = baseImage.Config;
        var recipe = recipes(stage);
        var builder = recipe.ConfigBuilder(inherited, created);
        var newLayers = new List<Layer>();
        // Indexed on the first step that needs the image's files, then kept up to date layer by layer.
        LayeredImageFileSystem? fileSystem = null;
        IReadOnlyList<Layer> CurrentLayers() => [.. baseImage.Layers, .. newLayers];
        async Task<IImageFileSystem> FileSystemAsync() => fileSystem ??= await LoadFileSystemAsync(CurrentLayers(), ct).ConfigureAwait(false);
        string name = stage.Name ?? "stage " + stage.Index.ToString(CultureInfo.InvariantCulture);
        if (stageCount > 1) settings.Log.Detail($"[{name}] stage {position}/{stageCount}");

        // When each history entry's step made its files: a cached step keeps the time it first ran.
        var entryTimes = new List<string?>();
        for (int i = 0; i < recipe.Steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            using var step = recipe.Steps[i];
            int entriesBefore = builder.History.Count;
            // As BuildKit counts: FROM is step 1 of the stage.
            string label = $"[{name} {i + 2}/{recipe.Steps.Count + 1}]";
            var context = new StepContext(key, builder, stage.Platform, baseImage.Format, label, FileSystemAsync, CurrentLayers, ct);
            var stopwatch = Stopwatch.StartNew();
            if (await step.KeyAsync(context).ConfigureAwait(false) is not { } stepKey)
            {
                step.Record(builder, null);
                while (entryTimes.Count < builder.History.Count) entryTimes.Add(null);
                string text = builder.History.Count > entriesBefore ? builder.History[^1].CreatedBy ?? "" : step.Description;
                key = ChainKeys.Metadata(key, text);
                settings.Log.Detail($"{label} {text}");
                continue;
            }
            var outcome = await CachedOrRunAsync(stage, stepKey, () => step.ExecuteAsync(context)).ConfigureAwait(false);
            step.Record(builder, new StepOutput(outcome.Layer, outcome.History));
            while (entryTimes.Count < builder.History.Count) entryTimes.Add(outcome.Created);
            key = ChainKeys.After(key, outcome.Key, outcome.Layer);
            if (outcome.Layer is { } layer)
            {
                newLayers.Add(layer);
                if (fileSystem is not null) await fileSystem.AddLayerAsync(layer, ct).ConfigureAwait(false);
            }
            string result = outcome.Cached ? "CACHED"
                : outcome.Layer is { } made ? $"({made.Descriptor.Size:N0} bytes, {stopwatch.ElapsedMilliseconds} ms)" : $"({stopwatch.ElapsedMilliseconds} ms)";
            settings.Log.Info($"{label} {step.Description} {result}");
        }

        var (history, stageCreated) = Timed(builder.History, entryTimes, inherited?.Created);
        var finalConfig = new ImageConfig
        {
            Created = stageCreated,
            Architecture = inherited?.Architecture ?? stage.Platform.Architecture,
            Os = inherited?.Os ?? stage.Platform.Os,
            OsVersion = inherited is null ? stage.Platform.OsVersion : inherited.OsVersion,
            Variant = inherited is null ? stage.Platform.Variant : inherited.Variant,
            Author = builder.Author,
            Config = builder.Config,
            RootFs = new RootFs { DiffIds = [] },
            Extra = inherited?.Extra,
        };
        return new BuiltStage(stage.Index, baseImage, finalConfig, newLayers, history) { CacheKey = key };
    }

    /// <summary>
    /// History times, and the stage's created time, from the steps that made files: a metadata entry
    /// takes the time of the file step before it (or the first one after it), and the stage was
    /// created when its latest file step ran; a stage without one keeps its base's time, as in
    /// BuildKit (SOURCE_DATE_EPOCH, when set, is every time). So a rebuild that takes every step from the cache gives the same config, hence the
    /// same image digest, as the build that ran them.
    /// </summary>
    private (IReadOnlyList<HistoryEntry> History, string Created) Timed(IReadOnlyList<HistoryEntry> history, List<string?> times, string? baseCreated)
    {
        string? first = times.FirstOrDefault(t => t is not null);
        if (first is null)
        {
            string time = sourceDateEpoch is null ? baseCreated ?? created : created;
            return (history.Select(h => h with { Created = time }).ToList(), time);
        }
        string? current = first;
        var timed = new List<HistoryEntry>(history.Count);
        for (int i = 0; i < history.Count; i++)
        {
            current = times[i] ?? current;
            timed.Add(history[i] with { Created = current });
        }
        return (timed, times.OfType<string>().Max(StringComparer.Ordinal)!);
    }

    /// <summary>A step that changed (or could have changed) files: its key, layer (none for an existing WORKDIR), history, when it first ran, and whether it came from the cache.</summary>
    private sealed record StepOutcome(Digest Key, Layer? Layer, string History, string Created, bool Cached);

    private async Task<StepOutcome> CachedOrRunAsync(PlannedStage stage, Digest key, Func<Task<StepOutput>> run)
    {
        if (cache.Lookup(stage, key) is { } record)
        {
            cache.CountCached();
            return new StepOutcome(key, record.AsLayer, record.History, record.Created ?? created, Cached: true);
        }
        var (layer, history) = await run().ConfigureAwait(false);
        cache.Record(key, layer, history, created);
        return new StepOutcome(key, layer, history, created, Cached: false);
    }

    private async Task<(BaseImage Base, Digest Key)> ResolveBaseAsync(PlannedStage stage, CancellationToken ct)
    {
        switch (stage.Base)
        {
            case ScratchBase:
                return (BaseImage.Scratch, _keys.Scratch(stage.Platform));
            case StageReference parent:
                var built = await sources.StageAsync(parent.StageIndex, ct).ConfigureAwait(false);
                return (built.AsBase(), built.CacheKey);
            case ImageBase image:
                var resolved = await images.ResolveAsync(image.Reference, stage.Platform, ct).ConfigureAwait(false);
                settings.Log.Info($"FROM {image.Reference.ToFamiliarString()}: {resolved.ManifestDigest}");
                return (BaseImage.From(resolved), _keys.Image(resolved.ManifestDigest, stage.Platform));
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage.Base, "Unknown stage base.");
        }
    }

    /// <summary>The image's files as COPY and WORKDIR see them; base layers are downloaded if the store lacks them.</summary>
    private async Task<LayeredImageFileSystem> LoadFileSystemAsync(IReadOnlyList<Layer> layers, CancellationToken ct)
    {
        await session.EnsureBlobsAsync(layers, settings.Store, ct).ConfigureAwait(false);
        return await LayeredImageFileSystem.LoadAsync(layers.Select(l => new Layer(l.Descriptor, l.DiffId)).ToList(), settings.Store, ct).ConfigureAwait(false);
    }
}
