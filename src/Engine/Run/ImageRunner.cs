using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Run;

/// <summary>
/// Runs an image from a registry through the same helper as RUN steps: its layers (unpacked once
/// per diff ID) under a throw-away upper directory, its entrypoint and Cmd, environment, user and
/// working directory. Shows what a built image does without a container engine. Where overlay
/// cannot be mounted, or <see cref="RootfsChoice"/> says so (<c>CONTAINERIZE_ROOTFS=copy</c>, the
/// settings' Rootfs), the container gets a throw-away copy of the layers instead, as RUN steps do.
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
        var lowers = await unpacked.GetLowerDirectoriesAsync(image.Layers.Select(l => new Layer(l.Descriptor, l.DiffId)).ToList(), ct).ConfigureAwait(false);
        var bottomFirst = lowers.Reverse().ToList();
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
        if (!rootfs.UseCopy)
        {
            try
            {
                return Reported(await runner.RunToExitAsync(spec with { LowerDirectories = bottomFirst, UpperDirectory = scratch.CreateSubdirectory("upper"), OverlayWorkDirectory = scratch.CreateSubdirectory("work") },
                    onOutputLine, ct).ConfigureAwait(false), request, settings);
            }
            catch (ContainerizeException e) when (e.Code == ErrorCodes.OverlayMountFailed)
            {
                rootfs.SwitchToCopy(e.Message);
            }
        }
        else
        {
            rootfs.AnnounceForced();
        }

        // The copy fallback: the stacked layers copied into one directory the container changes in place, then thrown away.
        string root = scratch.CreateSubdirectory("rootfs");
        try
        {
            var owners = await Task.Run(() => LayerStackCopier.Copy(bottomFirst, root, unpacked.NamespaceFiles is null, namespaces.Uids, namespaces.Gids, ct), ct).ConfigureAwait(false);
            if (unpacked.NamespaceFiles is { } files) await files.ApplyOwnersAsync(root, owners, ct).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ContainerizeException(ErrorCodes.RootfsCopyFailed,
                $"The copy of {request.Image} cannot be made as an ordinary user: {e.Message} The image has files or folders only another user inside the container may read. "
                + "Run it as root, or where overlay can be mounted (ContainerStorePath and the temp folder on ext4, xfs, btrfs or tmpfs).");
        }
        return Reported(await runner.RunToExitAsync(spec with { RootDirectory = root }, onOutputLine, ct).ConfigureAwait(false), request, settings);
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
