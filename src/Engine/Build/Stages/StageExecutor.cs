using System.Diagnostics;
using System.Globalization;
using Containerize.Engine.Copy;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Errors;
using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;

namespace Containerize.Engine.Build.Stages;

/// <summary>
/// Runs the steps of one planned stage on its base: metadata instructions change the config,
/// WORKDIR creates its directory, COPY and ADD add a layer each. RUN needs the namespace helper.
/// </summary>
internal sealed class StageExecutor(
    string dockerfilePath,
    StageSources sources,
    RunStep runStep,
    RegistryBaseImageResolver images,
    RegistrySession session,
    BuildSettings settings,
    DateTimeOffset? sourceDateEpoch,
    string created)
{
    public async Task<BuiltStage> ExecuteAsync(PlannedStage stage, int position, int stageCount, CancellationToken ct)
    {
        var baseImage = await ResolveBaseAsync(stage, ct).ConfigureAwait(false);
        var inherited = baseImage.Config;
        // Triggers run once, in the stage that builds on the image; they are not inherited further.
        var builder = new StageConfigBuilder(inherited?.Config is { } config ? config with { OnBuild = null } : null, inherited?.Author, dockerfilePath, created);
        var newLayers = new List<Layer>();
        // Indexed on the first step that needs the image's files, then kept up to date layer by layer.
        LayeredImageFileSystem? fileSystem = null;
        IReadOnlyList<LayerBlob> CurrentLayers() => [.. baseImage.Layers, .. newLayers.Select(l => new LayerBlob(l.Descriptor, l.DiffId, Origin: null))];
        async Task<LayeredImageFileSystem> FileSystemAsync() => fileSystem ??= await LoadFileSystemAsync(CurrentLayers(), ct).ConfigureAwait(false);
        string label = $"[{stage.Name ?? "stage " + stage.Index.ToString(CultureInfo.InvariantCulture)} {position}/{stageCount}]";

        for (int i = 0; i < stage.Steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var step = stage.Steps[i];
            var instruction = step.Instruction;
            var location = new SourceLocation(dockerfilePath, step.Range.StartLine, step.Range.StartColumn);
            var stopwatch = Stopwatch.StartNew();
            Layer? layer = null;
            switch (instruction)
            {
                case CopyInstruction or AddInstruction:
                    layer = await CopyAsync(step, builder, await FileSystemAsync().ConfigureAwait(false), stage.Platform, location, ct).ConfigureAwait(false);
                    builder.RecordLayer(CopyHistory(instruction));
                    break;
                case WorkdirInstruction workdir:
                    string path = builder.ResolveWorkingDirectory(workdir.Path);
                    if (path != "/")
                    {
                        layer = DirectoryMaker.MakeDirectory(path, builder.Config.User, await FileSystemAsync().ConfigureAwait(false), settings.Store, sourceDateEpoch, location, ct);
                    }
                    builder.Apply(workdir, addedLayer: layer is not null);
                    break;
                case RunInstruction:
                    var (runLayer, history) = await runStep.RunAsync(step, CurrentLayers(), builder.Config, builder.WorkingDirectory, stage.Platform, label, location, ct).ConfigureAwait(false);
                    layer = runLayer;
                    builder.RecordLayer(history);
                    break;
                default:
                    builder.Apply(instruction);
                    break;
            }
            if (layer is not null)
            {
                newLayers.Add(layer);
                if (fileSystem is not null) await fileSystem.AddLayerAsync(layer.Descriptor, ct).ConfigureAwait(false);
                settings.Log.Info($"{label} {Describe(instruction)} ({layer.Descriptor.Size:N0} bytes, {stopwatch.ElapsedMilliseconds} ms)");
            }
            else
            {
                settings.Log.Detail($"{label} {Describe(instruction)}");
            }
        }

        var finalConfig = new ImageConfig
        {
            Created = created,
            Architecture = inherited?.Architecture ?? stage.Platform.Architecture,
            Os = inherited?.Os ?? stage.Platform.Os,
            OsVersion = inherited is null ? stage.Platform.OsVersion : inherited.OsVersion,
            Variant = inherited is null ? stage.Platform.Variant : inherited.Variant,
            Author = builder.Author,
            Config = builder.Config,
            RootFs = new RootFs { DiffIds = [] },
            Extra = inherited?.Extra,
        };
        return new BuiltStage(stage.Index, baseImage, finalConfig, newLayers, builder.History);
    }

    private async Task<BaseImage> ResolveBaseAsync(PlannedStage stage, CancellationToken ct)
    {
        switch (stage.Base)
        {
            case ScratchBase:
                return BaseImage.Scratch;
            case StageReference parent:
                return (await sources.StageAsync(parent.StageIndex, ct).ConfigureAwait(false)).AsBase();
            case ImageBase image:
                var resolved = await images.ResolveAsync(image.Reference, stage.Platform, ct).ConfigureAwait(false);
                settings.Log.Info($"FROM {image.Reference.ToFamiliarString()}: {resolved.ManifestDigest}");
                return BaseImage.From(resolved);
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage.Base, "Unknown stage base.");
        }
    }

    /// <summary>The image's files as COPY and WORKDIR see them; base layers are downloaded if the store lacks them.</summary>
    private async Task<LayeredImageFileSystem> LoadFileSystemAsync(IReadOnlyList<LayerBlob> layers, CancellationToken ct)
    {
        await session.EnsureBlobsAsync(layers, settings.Store, ct).ConfigureAwait(false);
        return await LayeredImageFileSystem.LoadAsync(layers.Select(l => l.Descriptor).ToList(), settings.Store, ct).ConfigureAwait(false);
    }

    private async Task<Layer> CopyAsync(PlannedStep step, StageConfigBuilder builder, LayeredImageFileSystem image, Platform platform, SourceLocation location, CancellationToken ct)
    {
        var (files, from, parents) = step.Instruction switch
        {
            CopyInstruction copy => (copy.Files, copy.From, copy.Parents),
            AddInstruction addition => (addition.Files, (string?)null, false),
            _ => throw new ArgumentException("Not a COPY or ADD step.", nameof(step)),
        };
        var add = step.Instruction as AddInstruction;
        var source = from is null ? null : step.Sources[from];
        var (directory, filter) = await sources.ResolveAsync(source, platform, location, ct).ConfigureAwait(false);
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
            Location = location,
        };
        return await FileCopier.CopyAsync(request, image, settings.Store, ct).ConfigureAwait(false);
    }

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
