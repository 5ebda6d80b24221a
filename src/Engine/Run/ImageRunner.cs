using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Run;

/// <summary>
/// Runs an image from a registry through the same helper as RUN steps: its layers (unpacked once
/// per chain ID, as for RUN steps) under a throw-away upper directory, its entrypoint and Cmd, environment, user and
/// working directory. Shows what a built image does without a container engine. The root is
/// prepared as for RUN steps (<see cref="LayerStackRootfs"/>: where overlay cannot be mounted, or
/// <see cref="RootfsChoice"/> says so, a throw-away copy of the layers), and its changes are dropped.
/// </summary>
public static class ImageRunner
{
    /// <returns>The exit code of the image's process.</returns>
    public static async Task<int> RunAsync(RunImageRequest request, BuildSettings settings, Action<string> onOutputLine, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        KilledBuildLitter.Reclaim(settings.Store);
        using var session = new RegistrySession(settings.Registry with { Log = settings.Log });
        var image = BaseImage.From(await session.ResolveAsync(request.Image, request.Platform, settings.Store, ct).ConfigureAwait(false));
        var config = image.Config?.Config ?? new Oci.ContainerConfig();
        IReadOnlyList<string> argv = [.. config.Entrypoint ?? [], .. request.Command ?? config.Cmd ?? []];
        if (argv.Count == 0)
        {
            throw new ContainerizeException(ErrorCodes.ImageHasNoCommand,
                $"The image {request.Image} has no entrypoint and no command: give the command to run after the image reference.");
        }

        var rootfs = RootfsChoice.For(settings.Rootfs, settings.Log, RootfsChoice.RunContainer);
        await session.EnsureBlobsAsync(image.Layers, settings.Store, ct).ConfigureAwait(false);
        var namespaces = UserNamespaceMapping.Detect();
        var unpacked = new UnpackedLayerStore(settings.Store, namespaceFiles: UserNamespaceFiles.For(namespaces));
        var lowers = await unpacked.GetLowerDirectoriesBottomFirstAsync([.. image.Layers.Select(l => new Layer(l.Descriptor, l.DiffId))], ct).ConfigureAwait(false);
        using var scratch = new ScratchDirectory("containerize-run-image");
        await using var removal = unpacked.NamespaceFiles?.RemovalOf(scratch.Path); // rootless: the upper or copy holds subordinate ids' files
        var spec = new ContainerSpec
        {
            Command = argv,
            Environment = Environment(config.Env, request.Environment),
            WorkingDirectory = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir,
            User = config.User ?? "",
            Network = request.Network,
        };
        if (spec.FieldWithNul() is { } field)
        {
            throw new ContainerizeException(ErrorCodes.NulInContainerSpec,
                $"The image {request.Image} cannot run: its {field} contains a NUL character, which no process can be given. Rebuild the image without it.");
        }
        var runner = new ContainerRunner(idMapping: namespaces, onWarning: message => settings.Log.Warning(ErrorCodes.SingleIdUserNamespace, message));
        var exit = default(ContainerExit);
        await new LayerStackRootfs(rootfs, namespaces, unpacked.NamespaceFiles).RunAsync(lowers, scratch, RootfsUse.RunImage(request.Image.ToString()),
            async root => exit = await runner.RunToExitAsync(root.MountedIn(spec), onOutputLine, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        return Reported(exit, request, settings);
    }

    /// <summary>A process a signal killed is said so (its exit code, 128 + the signal, says it only to those who know).</summary>
    private static int Reported(ContainerExit exit, RunImageRequest request, BuildSettings settings)
    {
        if (exit.Signal is not null) settings.Log.Warning(ErrorCodes.ImageProcessKilled, $"The process of {request.Image} {exit.Describe()}");
        return exit.ExitCode;
    }

    private static List<string> Environment(IReadOnlyList<string>? imageEnv, IReadOnlyList<string> added)
    {
        var result = new List<string>(imageEnv ?? []);
        if (!result.Any(e => EnvironmentEntries.Name(e) == "PATH")) result.Add(Steps.RunCommand.DefaultPath);
        foreach (string entry in added) EnvironmentEntries.Set(result, EnvironmentEntries.Name(entry), EnvironmentEntries.Value(entry));
        return result;
    }
}
