using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Solver;

/// <summary>
/// The directories COPY and ADD read from: the build context (filtered by its .dockerignore),
/// named contexts, and — unpacked once per build into scratch space — earlier stages and images
/// named by <c>--from</c>. Stages are built at the same time: a step that reads another stage
/// waits for it through the <see cref="StageScheduler"/>.
/// </summary>
internal sealed class StageSources(
    StageScheduler stages,
    string contextDirectory,
    IgnorePatterns contextFilter,
    IReadOnlyDictionary<string, string> namedContextDirectories,
    RegistryBaseImageResolver images,
    RegistrySession session,
    BuildSettings settings,
    ScratchDirectory scratch) : IStepSources, IDisposable
{
    private readonly Dictionary<string, Task<string>> _unpacked = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _unpackCount;

    /// <summary>The built stage with this index, once it is done (FROM stage).</summary>
    public Task<BuiltStage> StageAsync(int index, CancellationToken ct) => stages.StageAsync(index, ct);

    /// <summary>A stage this step already waited for (through <see cref="ResolveAsync"/> or <see cref="StageAsync"/>).</summary>
    public BuiltStage StageWaitedFor(int index) => stages.Built(index);

    public IReadOnlyList<Layer> LayersOfStageWaitedFor(int index) => stages.Built(index).Layers;

    /// <summary>Sources enter a key by identity where one determines their content exactly: a hit then never unpacks the stage or downloads the image.</summary>
    public async Task<string?> IdentityAsync(StageBase? source, Platform platform, CancellationToken ct) => source switch
    {
        StageReference stage => "stage " + (await stages.StageAsync(stage.StageIndex, ct).ConfigureAwait(false)).CacheKey,
        ImageBase image => "image " + (await images.ResolveAsync(image.Reference, platform, ct).ConfigureAwait(false)).ManifestDigest + " " + platform,
        ScratchBase => "scratch",
        _ => null,
    };

    /// <summary>The folder and ignore rules of the context (<paramref name="source"/> null) or of a named context folder; null for stages and images.</summary>
    public (string Directory, IgnorePatterns? Filter)? ContextFolder(StageBase? source) => source switch
    {
        null => (contextDirectory, contextFilter),
        NamedContextBase named => (namedContextDirectories.First(c => c.Key.Equals(named.Name, StringComparison.OrdinalIgnoreCase)).Value, null),
        _ => null,
    };

    /// <summary>The directory and ignore rules for a step's sources: the context when <paramref name="source"/> is null.</summary>
    public async Task<(string Directory, IgnorePatterns? Filter)> ResolveAsync(StageBase? source, Platform platform, SourceLocation location, CancellationToken ct)
    {
        if (ContextFolder(source) is { } folder) return folder;
        switch (source)
        {
            case StageReference stage:
                var built = await stages.StageAsync(stage.StageIndex, ct).ConfigureAwait(false);
                return (await UnpackAsync($"stage-{stage.StageIndex}", () => Task.FromResult(built.Layers), ct).ConfigureAwait(false), null);
            case ImageBase image:
                string key = $"image-{image.Reference}-{platform}";
                return (await UnpackAsync(key, async () =>
                {
                    var resolved = await images.ResolveAsync(image.Reference, platform, ct).ConfigureAwait(false);
                    settings.Log.Info($"COPY --from={image.Reference.ToFamiliarString()}: resolved to {resolved.ManifestDigest}");
                    return BaseImage.From(resolved).Layers;
                }, ct).ConfigureAwait(false), null);
            case ScratchBase:
                throw new ContainerizeException(ErrorCodes.InvalidStageReference, "COPY --from=scratch has nothing to copy: scratch is an empty image.", location);
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown source kind.");
        }
    }

    private async Task<string> UnpackAsync(string key, Func<Task<IReadOnlyList<Layer>>> layers, CancellationToken ct)
    {
        Task<string> unpacking;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_unpacked.TryGetValue(key, out unpacking!))
            {
                unpacking = UnpackLayersAsync(key, layers, ct);
                _unpacked[key] = unpacking;
            }
        }
        finally
        {
            _lock.Release();
        }
        return await unpacking.ConfigureAwait(false);
    }

    private async Task<string> UnpackLayersAsync(string key, Func<Task<IReadOnlyList<Layer>>> getLayers, CancellationToken ct)
    {
        var layers = await getLayers().ConfigureAwait(false);
        await session.EnsureBlobsAsync(layers, settings.Store, ct).ConfigureAwait(false);
        string directory = scratch.CreateSubdirectory("rootfs-" + Interlocked.Increment(ref _unpackCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var options = new ExtractOptions { PreserveOwnership = LibC.IsRoot };
        foreach (var layer in layers)
        {
            await LayerExtractor.ExtractAsync(settings.Store, new Layer(layer.Descriptor, layer.DiffId), directory, options, ct).ConfigureAwait(false);
        }
        settings.Log.Detail($"Unpacked {key} ({layers.Count} layers) for COPY --from");
        return directory;
    }

    public void Dispose() => _lock.Dispose();
}
