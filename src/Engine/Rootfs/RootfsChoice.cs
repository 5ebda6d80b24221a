using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Rootfs;

/// <summary>
/// Which rootfs the RUN steps of one build (or one <c>containerize run</c>) use: overlay until it
/// cannot be mounted, then the copy fallback for the rest of the build, announced once (warning
/// CTZ3014 with the kernel's reason).
/// Forced by the build settings (<c>BuildSettings.Rootfs</c>) or, when that is not set, the environment variable
/// <c>CONTAINERIZE_ROOTFS</c> (<c>overlay</c> or <c>copy</c>), announced as information.
/// No probe is made up front: the first RUN's overlay mount is the probe, which costs nothing
/// where overlay works.
/// </summary>
internal sealed class RootfsChoice
{
    public const string EnvironmentVariable = "CONTAINERIZE_ROOTFS";
    public const string BuildSteps = "RUN steps of this build use a copy of the image's layers and a snapshot diff";
    public const string RunContainer = "the container uses a copy of the image's layers";

    private readonly IBuildLog _log;
    private readonly string _whoUses;
    private int _copy;
    private int _announced;

    /// <param name="whoUses">What the copy fallback means for its user, for the announcements (<see cref="BuildSteps"/>, <see cref="RunContainer"/>).</param>
    public RootfsChoice(RootfsMode mode, IBuildLog log, string source, string whoUses = BuildSteps)
    {
        _log = log;
        _whoUses = whoUses;
        _copy = mode == RootfsMode.Copy ? 1 : 0;
        Source = source;
    }

    /// <summary>Where the mode came from, for the announcement.</summary>
    private string Source { get; }

    public bool UseCopy => Volatile.Read(ref _copy) == 1;

    /// <param name="given">The build settings' choice, if any (<c>Rootfs</c>); the environment variable's otherwise.</param>
    public static RootfsChoice For(RootfsMode? given, IBuildLog log, string whoUses = BuildSteps)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (given is { } forced) return new RootfsChoice(forced, log, "the build settings", whoUses);
        string? value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var mode = string.IsNullOrWhiteSpace(value) ? RootfsMode.Overlay
            : value.Trim().ToLowerInvariant() switch
            {
                "overlay" => RootfsMode.Overlay,
                "copy" => RootfsMode.Copy,
                _ => throw new ContainerizeException(ErrorCodes.InvalidRootfsMode,
                    $"{EnvironmentVariable} is '{value}'; set it to 'overlay' (the default, with the copy fallback where overlay cannot be mounted) or 'copy', or unset it."),
            };
        return new RootfsChoice(mode, log, $"{EnvironmentVariable}={value}", whoUses);
    }

    /// <summary>Says once per build that the copy fallback is in use because it was asked for.</summary>
    public void AnnounceForced()
    {
        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            _log.Info($"{char.ToUpperInvariant(_whoUses[0])}{_whoUses[1..]} instead of overlay ({Source}).");
        }
    }

    /// <summary>Overlay failed: the copy fallback from now on, said once.</summary>
    public void SwitchToCopy(string reason)
    {
        Volatile.Write(ref _copy, 1);
        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            _log.Warning(ErrorCodes.RootfsCopyFallback,
                $"Overlay cannot be mounted here ({reason}); {_whoUses} instead, "
                + "which is slower and uses disk space. Put the store (ContainerStorePath) and the temp folder on a file system overlay accepts (ext4, xfs, btrfs, tmpfs) to avoid it.");
        }
    }
}
