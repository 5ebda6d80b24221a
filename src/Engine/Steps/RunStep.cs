using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Steps;

/// <summary>
/// Runs one RUN step: the command runs in its namespaces through the helper, on a root made from
/// the image's layers (<see cref="LayerStackRootfs"/>: an overlay, or where overlay cannot be
/// mounted or <see cref="RootfsChoice"/> says so, a copy), whose changes become the step's layer.
/// </summary>
internal sealed class RunStep(
    ContainerRunner runner,
    UserNamespaceMapping mapping,
    UnpackedLayerStore unpacked,
    IStepSources sources,
    SecretStore secrets,
    IReadOnlyDictionary<string, string> sshAgents,
    RegistrySession session,
    BuildSettings settings,
    IReadOnlyList<BuildArgValue> proxyArgs,
    DateTimeOffset? sourceDateEpoch,
    RootfsChoice rootfs)
{
    private const int OutputTailLines = 20;

    public async Task<(Layer Layer, string History)> RunAsync(
        PlannedStep step, RunCommand command, IReadOnlyList<Layer> layers, ContainerConfig config, string workingDirectory,
        Platform platform, string label, SourceLocation location, CancellationToken ct)
    {
        var run = (RunInstruction)step.Instruction;
        // Proxy args reach the process but not the command line or its history: those come from the key (RunInstructionStep).
        var environment = RunCommand.Environment(config.Env, step.Args, proxyArgs);

        await session.EnsureBlobsAsync(layers, settings.Store, ct).ConfigureAwait(false);
        var lowers = await unpacked.GetLowerDirectoriesBottomFirstAsync([.. layers.Select(l => new Layer(l.Descriptor, l.DiffId))], ct).ConfigureAwait(false);
        using var scratch = new ScratchDirectory("containerize-run");
        await using var removal = unpacked.NamespaceFiles?.RemovalOf(scratch.Path); // rootless: the upper holds subordinate ids' files
        await using var stepSecrets = new StepSecrets(secrets, sshAgents, Path.Combine(scratch.Path, "secrets"), unpacked.NamespaceFiles, settings.Log, location);
        using var caches = new CacheMountLeases(settings.Store, unpacked.NamespaceFiles, settings.Log);
        var mounts = await MountsAsync(run, step, command.Script, scratch, stepSecrets, caches, platform, location, ct).ConfigureAwait(false);
        var spec = new ContainerSpec
        {
            Command = command.Argv,
            // Secret variables and SSH_AUTH_SOCK reach the process only: history was derived above.
            Environment = stepSecrets.Environment(environment),
            WorkingDirectory = workingDirectory,
            User = config.User ?? "",
            Hostname = "buildkitsandbox",
            Network = RunEntitlements.Network(run.Network, settings.RunNetwork),
            Mounts = mounts,
        };
        var use = RootfsUse.RunStep(label, location, settings.Log);
        var root = await new LayerStackRootfs(rootfs, mapping, unpacked.NamespaceFiles)
            .RunAsync(lowers, scratch, use, r => RunCommandAsync(r.MountedIn(spec), command, label, location, ct), ct).ConfigureAwait(false);
        var options = new UpperDiffOptions
        {
            Layer = new LayerOptions { TimestampMode = TimestampMode.Clamp, Timestamp = sourceDateEpoch ?? DateTimeOffset.MaxValue },
            Uids = mapping.Uids,
            Gids = mapping.Gids,
        };
        var diff = await root.CommitAsync(options, settings.Store, ct).ConfigureAwait(false);
        return (diff.Layer, command.History);
    }

    private async Task RunCommandAsync(ContainerSpec spec, RunCommand command, string label, SourceLocation location, CancellationToken ct)
    {
        var tail = new Queue<string>();
        ContainerExit exit;
        try
        {
            exit = await runner.RunToExitAsync(spec, line =>
            {
                if (tail.Count == OutputTailLines) tail.Dequeue();
                tail.Enqueue(line);
                settings.Log.Info($"{label} {line}");
            }, ct).ConfigureAwait(false);
        }
        catch (ContainerizeException e) when (e.Code == ErrorCodes.NulInContainerSpec)
        {
            throw new ContainerizeException(e.Code,
                $"{command.History}: {e.Message} It comes from the base image's config or from the Dockerfile (ENV, ARG, WORKDIR, USER, SHELL): remove it.", location);
        }
        catch (ContainerizeException e) when (e.Location is null && e.Code.StartsWith("CTZ70", StringComparison.Ordinal) && e.Code != ErrorCodes.OverlayMountFailed)
        {
            // The container of this step could not be set up (the overlay's failure is the copy fallback's business).
            throw new ContainerizeException(e.Code, $"{command.History}: {e.Message}", location, e);
        }
        if (exit.ExitCode != 0)
        {
            string output = tail.Count == 0 ? "It printed nothing." : $"Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
            throw new ContainerizeException(ErrorCodes.RunStepFailed, $"{command.History} {exit.Describe()}. {output}", location);
        }
    }

    private async Task<IReadOnlyList<ContainerMount>> MountsAsync(
        RunInstruction run, PlannedStep step, RunScript? script, ScratchDirectory scratch, StepSecrets stepSecrets,
        CacheMountLeases caches, Platform platform, SourceLocation location, CancellationToken ct)
    {
        var mounts = new List<ContainerMount>();
        int sshIndex = 0;
        if (script is not null)
        {
            string file = Path.Combine(scratch.CreateSubdirectory("pipes"), script.Name);
            await File.WriteAllTextAsync(file, script.Content, ct).ConfigureAwait(false);
            LibC.Chmod(file, 0b111_101_101);
            mounts.Add(ContainerMount.Bind(file, script.ContainerPath));
        }
        foreach (var mount in run.Mounts)
        {
            switch (mount)
            {
                case TmpfsMount tmpfs:
                    mounts.Add(ContainerMount.Tmpfs(tmpfs.Target!));
                    break;
                case BindMount bind:
                    string source = await MountSourceAsync("bind", bind.From, bind.Source, step, platform, location, ct).ConfigureAwait(false);
                    if (bind.ReadWrite)
                    {
                        // rw binds let the step write, but the writes are discarded (BuildKit): the step gets a copy in its scratch space.
                        string copy = Path.Combine(scratch.CreateSubdirectory("bind-" + Guid.NewGuid().ToString("N")), "source");
                        await TreeCopy.CopyAsync(source, copy, ct).ConfigureAwait(false);
                        source = copy;
                    }
                    mounts.Add(ContainerMount.Bind(source, bind.Target ?? "/", readOnly: !bind.ReadWrite));
                    break;
                case CacheMount cache:
                    var seed = cache.From is null ? null : await CacheSeedAsync(cache, step, platform, location, ct).ConfigureAwait(false);
                    mounts.Add(ContainerMount.Bind(await caches.AcquireAsync(cache, seed, scratch, ct).ConfigureAwait(false), cache.Target!, cache.ReadOnly));
                    break;
                case SecretMount secret:
                    if (stepSecrets.Secret(secret) is { } secretFile) mounts.Add(secretFile);
                    break;
                case SshMount ssh:
                    if (stepSecrets.Ssh(ssh, sshIndex++) is { } agent) mounts.Add(agent);
                    break;
                default:
                    throw NotYet($"RUN --mount=type={MountType(mount)}", location);
            }
        }
        await stepSecrets.ApplyOwnersAsync(ct).ConfigureAwait(false);
        return mounts;
    }

    /// <summary>
    /// The host path of a mount's <c>source</c> in its <c>from</c> (the context when null). Symlinks
    /// are followed inside the context or stage; a source that leaves it is an error, as for COPY.
    /// </summary>
    private async Task<string> MountSourceAsync(string type, string? from, string? source, PlannedStep step, Platform platform, SourceLocation location, CancellationToken ct)
    {
        var (directory, _) = await sources.ResolveAsync(from is null ? null : step.Sources[from], platform, location, ct).ConfigureAwait(false);
        string resolved = new SourceRoot(directory, new CopyErrors(location)).Resolve(source ?? "", source ?? "/");
        if (!Path.Exists(resolved))
        {
            throw new ContainerizeException(ErrorCodes.InvalidRunMount, $"RUN --mount=type={type}{(from is null ? "" : ",from=" + from)},source={source}: '{resolved}' does not exist.", location);
        }
        return resolved;
    }

    /// <summary>A cache mount's <c>from</c> folder, named by content: a stage by its layers, an image by reference, a context folder by path.</summary>
    private async Task<CacheSeed> CacheSeedAsync(CacheMount cache, PlannedStep step, Platform platform, SourceLocation location, CancellationToken ct)
    {
        string directory = await MountSourceAsync("cache", cache.From, cache.Source, step, platform, location, ct).ConfigureAwait(false);
        if (!Directory.Exists(directory))
        {
            throw new ContainerizeException(ErrorCodes.InvalidRunMount,
                $"RUN --mount=type=cache,from={cache.From},source={cache.Source}: '{cache.Source}' is a file; a cache starts from a folder. Name a folder with source=.", location);
        }
        string origin = step.Sources[cache.From!] switch
        {
            StageReference stage => "stage:" + string.Join(',', sources.LayersOfStageWaitedFor(stage.StageIndex).Select(l => l.DiffId)),
            ImageBase image => $"image:{image.Reference}@{platform}",
            NamedContextBase named => "context:" + named.Name,
            var other => "source:" + other,
        };
        return new CacheSeed(directory, $"{origin}:{cache.Source ?? "/"}");
    }

    private static string MountType(RunMount mount) => mount.GetType().Name.Replace("Mount", "", StringComparison.Ordinal).ToLowerInvariant();

    private static ContainerizeException NotYet(string what, SourceLocation location) =>
        new(ErrorCodes.RunMountNotAvailable, $"{what} is not supported by this version of Containerize yet. Remove the mount or use another mount type.", location);
}
