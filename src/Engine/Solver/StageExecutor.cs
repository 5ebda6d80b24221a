using System.Diagnostics;
using System.Globalization;
using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Solver;

/// <summary>
/// Runs the steps of one planned stage on its base: metadata instructions change the config,
/// WORKDIR creates its directory, COPY and ADD add a layer each. RUN needs the namespace helper.
/// Each step that changes files is looked up in the step cache by its key first; a hit takes the
/// recorded layer and does nothing else (no base layer is downloaded, indexed or unpacked for it).
/// </summary>
internal sealed class StageExecutor(
    string dockerfilePath,
    StageSources sources,
    RunStep runStep,
    RegistryBaseImageResolver images,
    RegistrySession session,
    BuildSettings settings,
    DateTimeOffset? sourceDateEpoch,
    string created,
    BuildStepCache cache,
    StepKeys keys)
{
    public async Task<BuiltStage> ExecuteAsync(PlannedStage stage, int position, int stageCount, CancellationToken ct)
    {
        var (baseImage, key) = await ResolveBaseAsync(stage, ct).ConfigureAwait(false);
        var inherited = baseImage.Config;
        // Triggers run once, in the stage that builds on the image; they are not inherited further.
        var builder = new StageConfigBuilder(inherited?.Config is { } config ? config with { OnBuild = null } : null, inherited?.Author, dockerfilePath, created);
        var newLayers = new List<Layer>();
        // Indexed on the first step that needs the image's files, then kept up to date layer by layer.
        LayeredImageFileSystem? fileSystem = null;
        IReadOnlyList<LayerBlob> CurrentLayers() => [.. baseImage.Layers, .. newLayers.Select(l => new LayerBlob(l.Descriptor, l.DiffId, Origin: null))];
        async Task<IImageFileSystem> FileSystemAsync() => fileSystem ??= await LoadFileSystemAsync(CurrentLayers(), ct).ConfigureAwait(false);
        string name = stage.Name ?? "stage " + stage.Index.ToString(CultureInfo.InvariantCulture);
        if (stageCount > 1) settings.Log.Detail($"[{name}] stage {position}/{stageCount}");

        // When each history entry's step made its files: a cached step keeps the time it first ran.
        var entryTimes = new List<string?>();
        for (int i = 0; i < stage.Steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            int entriesBefore = builder.History.Count;
            var step = stage.Steps[i];
            var instruction = step.Instruction;
            // As BuildKit counts: FROM is step 1 of the stage.
            string label = $"[{name} {i + 2}/{stage.Steps.Count + 1}]";
            var location = new SourceLocation(dockerfilePath, step.Range.StartLine, step.Range.StartColumn);
            var stopwatch = Stopwatch.StartNew();
            StepOutcome? outcome = null;
            switch (instruction)
            {
                case CopyInstruction or AddInstruction:
                    outcome = await CopyAsync(stage, step, builder, key, FileSystemAsync, location, ct).ConfigureAwait(false);
                    builder.RecordLayer(outcome.History);
                    break;
                case WorkdirInstruction workdir:
                    string path = builder.ResolveWorkingDirectory(workdir.Path);
                    if (path != "/")
                    {
                        var workdirKey = keys.Workdir(key, path, builder.Config.User);
                        outcome = await CachedOrRunAsync(stage, workdirKey, async () =>
                        {
                            var made = DirectoryMaker.MakeDirectory(path, builder.Config.User, await FileSystemAsync().ConfigureAwait(false), settings.Store, sourceDateEpoch, location, ct);
                            return (made, $"WORKDIR {path}");
                        }).ConfigureAwait(false);
                    }
                    builder.Apply(workdir, addedLayer: outcome?.Layer is not null);
                    break;
                case RunInstruction:
                    var runKey = await keys.RunAsync(key, step, builder.Config, builder.WorkingDirectory, stage.Platform, location, ct).ConfigureAwait(false);
                    outcome = await CachedOrRunAsync(stage, runKey, async () =>
                    {
                        var (runLayer, history) = await runStep.RunAsync(step, CurrentLayers(), builder.Config, builder.WorkingDirectory, stage.Platform, label, location, ct).ConfigureAwait(false);
                        return (runLayer, history);
                    }).ConfigureAwait(false);
                    builder.RecordLayer(outcome.History);
                    break;
                default:
                    builder.Apply(instruction);
                    break;
            }

            while (entryTimes.Count < builder.History.Count) entryTimes.Add(outcome?.Created);
            if (outcome is null)
            {
                string text = builder.History.Count > entriesBefore ? builder.History[^1].CreatedBy ?? "" : instruction.Keyword;
                key = StepKeys.Metadata(key, text);
                settings.Log.Detail($"{label} {text}");
                continue;
            }
            key = StepKeys.After(key, outcome.Key, outcome.Layer);
            if (outcome.Layer is { } layer)
            {
                newLayers.Add(layer);
                if (fileSystem is not null) await fileSystem.AddLayerAsync(layer, ct).ConfigureAwait(false);
            }
            string result = outcome.Cached ? "CACHED"
                : outcome.Layer is { } made ? $"({made.Descriptor.Size:N0} bytes, {stopwatch.ElapsedMilliseconds} ms)" : $"({stopwatch.ElapsedMilliseconds} ms)";
            settings.Log.Info($"{label} {Describe(instruction)} {result}");
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

    private async Task<StepOutcome> CachedOrRunAsync(PlannedStage stage, Digest key, Func<Task<(Layer? Layer, string History)>> run)
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
                return (BaseImage.Scratch, keys.Scratch(stage.Platform));
            case StageReference parent:
                var built = await sources.StageAsync(parent.StageIndex, ct).ConfigureAwait(false);
                return (built.AsBase(), built.CacheKey);
            case ImageBase image:
                var resolved = await images.ResolveAsync(image.Reference, stage.Platform, ct).ConfigureAwait(false);
                settings.Log.Info($"FROM {image.Reference.ToFamiliarString()}: {resolved.ManifestDigest}");
                return (BaseImage.From(resolved), keys.Image(resolved.ManifestDigest, stage.Platform));
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage.Base, "Unknown stage base.");
        }
    }

    /// <summary>The image's files as COPY and WORKDIR see them; base layers are downloaded if the store lacks them.</summary>
    private async Task<LayeredImageFileSystem> LoadFileSystemAsync(IReadOnlyList<LayerBlob> layers, CancellationToken ct)
    {
        await session.EnsureBlobsAsync(layers, settings.Store, ct).ConfigureAwait(false);
        return await LayeredImageFileSystem.LoadAsync(layers.Select(l => new Layer(l.Descriptor, l.DiffId)).ToList(), settings.Store, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// COPY or ADD: the key from the sources' content (or the --from stage's key or image's digest),
    /// then the recorded layer or the copy. ADD's URLs and git sources without --checksum are fetched
    /// first, since what they hold is only known then; with --checksum, the checksum names it.
    /// COPY --link copies onto an empty filesystem, so its layer (and key) fit any base; a --chown
    /// by name needs the image's /etc/passwd, so such a copy is made as without --link.
    /// </summary>
    private async Task<StepOutcome> CopyAsync(PlannedStage stage, PlannedStep step, StageConfigBuilder builder, Digest parent,
        Func<Task<IImageFileSystem>> fileSystem, SourceLocation location, CancellationToken ct)
    {
        var (files, from, parents) = step.Instruction switch
        {
            CopyInstruction copy => (copy.Files, copy.From, copy.Parents),
            AddInstruction addition => (addition.Files, (string?)null, false),
            _ => throw new ArgumentException("Not a COPY or ADD step.", nameof(step)),
        };
        var add = step.Instruction as AddInstruction;
        var source = from is null ? null : step.Sources[from];
        string? identity = await keys.IdentityAsync(source, stage.Platform, ct).ConfigureAwait(false);
        var (directory, filter) = identity is null ? await sources.ResolveAsync(source, stage.Platform, location, ct).ConfigureAwait(false) : ("", null);
        var request = new CopyRequest
        {
            Sources = files.SourcePaths,
            Destination = files.Destination,
            WorkingDirectory = builder.WorkingDirectory,
            SourceRoot = directory,
            SourceFilter = filter,
            Excludes = files.Excludes,
            Parents = parents,
            Chown = files.Chown,
            Chmod = files.Chmod,
            IsAdd = add is not null,
            Checksum = add?.Checksum,
            KeepGitDir = add?.KeepGitDir ?? false,
            Unpack = add?.Unpack,
            Heredocs = files.SourceContents.Select(h => new HeredocFile(h.Path, h.Data)).ToList(),
            SourceDateEpoch = sourceDateEpoch,
            NetworkIdleTimeout = settings.Registry.ResolveIdleTimeout(),
            Location = location,
        };
        bool link = files.Link && !NamesAnOwner(files.Chown);
        bool fetchFirst = add is not null && add.Checksum is null && files.SourcePaths.Any(p => RemoteSource.TryParse(p) is not null);
        using var fetched = fetchFirst ? await FetchedSources.FetchAsync(request, new CopyErrors(location), ct).ConfigureAwait(false) : null;
        var fetchedContent = new Dictionary<int, Digest>();
        for (int i = 0; fetched is not null && i < files.SourcePaths.Count; i++)
        {
            if (fetched.At(i) is { } remote) fetchedContent[i] = CopySourceChecksum.ComputePath(remote.HostPath, "", null, cache.Hasher, ct);
        }
        var key = await Task.Run(() => keys.Copy(parent, step.Instruction, request, link, identity, fetchedContent, ct), ct).ConfigureAwait(false);
        return await CachedOrRunAsync(stage, key, async () =>
        {
            var target = link ? EmptyImageFileSystem.Instance : await fileSystem().ConfigureAwait(false);
            var resolved = identity is null ? request : request with { SourceRoot = (await sources.ResolveAsync(source, stage.Platform, location, ct).ConfigureAwait(false)).Directory };
            var layer = fetched is not null
                ? await FileCopier.CopyAsync(resolved, fetched, target, settings.Store, ct).ConfigureAwait(false)
                : await FileCopier.CopyAsync(resolved, target, settings.Store, ct).ConfigureAwait(false);
            return (layer, CopyHistory(step.Instruction));
        }).ConfigureAwait(false);
    }

    /// <summary>Whether --chown names a user or group (looked up in the image) rather than numeric ids.</summary>
    private static bool NamesAnOwner(string? chown) =>
        !string.IsNullOrEmpty(chown) && chown.Split(':').Any(part => !part.All(char.IsAsciiDigit));

    /// <summary>COPY/ADD history as BuildKit writes it: the sources (heredocs as &lt;&lt;NAME) and the destination.</summary>
    private static string CopyHistory(Instruction instruction)
    {
        var files = instruction is CopyInstruction copy ? copy.Files : ((AddInstruction)instruction).Files;
        var words = files.SourcePaths.Concat(files.SourceContents.Select(h => "<<" + h.Path)).Append(files.Destination);
        return $"{instruction.Keyword} {string.Join(' ', words)}";
    }

    private static string Describe(Instruction instruction) => instruction switch
    {
        RunInstruction run => "RUN " + string.Join(' ', run.Command.Arguments),
        CopyInstruction or AddInstruction => CopyHistory(instruction),
        WorkdirInstruction workdir => $"WORKDIR {workdir.Path}",
        _ => instruction.Keyword,
    };
}
