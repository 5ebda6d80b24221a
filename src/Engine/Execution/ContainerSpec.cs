namespace Containerize.Engine.Execution;

/// <summary>Which network a RUN step sees.</summary>
public enum ContainerNetwork
{
    /// <summary>A network namespace of its own, with outbound access through <see cref="UserModeNetwork"/>; the build machine's loopback is out of reach.</summary>
    Default,

    /// <summary>The build machine's network, loopback services included (an opt-in).</summary>
    Host,

    /// <summary>A network namespace with only its own loopback.</summary>
    None,
}

public enum ContainerMountType
{
    Bind,
    Tmpfs,
}

/// <summary>An extra mount inside the container: a host path bound at Target, or a fresh tmpfs.</summary>
public sealed record ContainerMount(ContainerMountType Type, string Target, string? Source = null, bool ReadOnly = false)
{
    public static ContainerMount Bind(string source, string target, bool readOnly = true) => new(ContainerMountType.Bind, target, source, readOnly);

    public static ContainerMount Tmpfs(string target) => new(ContainerMountType.Tmpfs, target);
}

/// <summary>
/// One command to run in a container made of overlay layers (the upper directory receives the
/// command's changes, overlay whiteouts for deletions, and nothing else), or, for the copy
/// fallback, in a plain directory (<see cref="RootDirectory"/>) that the command changes in place.
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>
    /// Unpacked layers, the base image's first layer first, as the image lists them (and as they go
    /// to the helper); empty with <see cref="RootDirectory"/>. Only overlay's <c>lowerdir=</c>, which
    /// the helper builds, names them the other way.
    /// </summary>
    public IReadOnlyList<string> LowerDirectoriesBottomFirst { get; init; } = [];

    /// <summary>An empty directory on the same file system as <see cref="OverlayWorkDirectory"/>: the step's diff.</summary>
    public string UpperDirectory { get; init; } = "";

    /// <summary>An empty directory overlayfs needs for its own bookkeeping.</summary>
    public string OverlayWorkDirectory { get; init; } = "";

    /// <summary>
    /// Instead of an overlay: a complete root directory, bind-mounted as the container's root and
    /// changed in place (the copy fallback). Mount points the helper creates in it are removed
    /// afterwards as they are from an upper directory.
    /// </summary>
    public string? RootDirectory { get; init; }

    /// <summary>argv; argv[0] without a slash is looked up in the PATH of <see cref="Environment"/>.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Exactly the environment of the command, as <c>NAME=value</c>.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Created when missing (owned by the user, and kept in the diff, as BuildKit's WORKDIR).</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary><c>name</c>, <c>uid</c>, <c>name:group</c> or <c>uid:gid</c>; empty means root.</summary>
    public string User { get; init; } = "";

    public string Hostname { get; init; } = "containerize";

    public ContainerNetwork Network { get; init; } = ContainerNetwork.Default;

    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    public bool ReadOnlyRoot { get; init; }

    /// <summary>
    /// The first field holding a NUL, described for a message (<c>Env entry 'NAME'</c>, <c>WorkingDir</c>, …),
    /// or null. No process can be given a NUL in its argv, environment or paths; the spec the helper
    /// reads is NUL-separated (<c>HelperRunSpecFormat</c>), so these values are refused before it is written.
    /// </summary>
    public string? FieldWithNul()
    {
        static bool Nul(string? s) => s is not null && s.Contains('\0');
        for (int i = 0; i < Command.Count; i++) if (Nul(Command[i])) return $"command argument {i + 1} ('{Printable(Command[i])}')";
        foreach (string e in Environment) if (Nul(e)) return $"Env entry '{Printable(e.Split('=', 2)[0])}'";
        if (Nul(WorkingDirectory)) return $"WorkingDir ('{Printable(WorkingDirectory)}')";
        if (Nul(User)) return $"User ('{Printable(User)}')";
        if (Nul(Hostname)) return "hostname";
        if (Nul(RootDirectory) || Nul(UpperDirectory) || Nul(OverlayWorkDirectory) || LowerDirectoriesBottomFirst.Any(Nul)) return "layer directory";
        foreach (var m in Mounts) if (Nul(m.Target) || Nul(m.Source)) return $"mount target '{Printable(m.Target)}'";
        return null;
    }

    private static string Printable(string s) => s.Replace("\0", "\\0", StringComparison.Ordinal);
}
