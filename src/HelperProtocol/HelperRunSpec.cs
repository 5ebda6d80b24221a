namespace Containerize.HelperProtocol;

/// <summary>Which network the container's namespace gets (<c>network</c> in the spec).</summary>
internal enum HelperNetwork
{
    /// <summary>A namespace of its own, connected from outside by the user-mode network.</summary>
    Default,

    /// <summary>The build machine's network: no namespace of its own.</summary>
    Host,

    /// <summary>A namespace with only its loopback, which the helper brings up.</summary>
    None,
}

internal enum HelperMountKind
{
    Bind,
    Tmpfs,
}

/// <summary>An extra mount at <see cref="Target"/> inside the root: a host path (<see cref="Source"/>) bound, or a fresh tmpfs.</summary>
internal sealed record HelperMount(HelperMountKind Kind, string Target, string Source = "", bool ReadOnly = false);

/// <summary>
/// What the helper's <c>run</c> command sets up and runs, as the engine writes it to the scratch
/// folder's <see cref="HelperScratchFiles.Spec"/> file (<see cref="HelperRunSpecFormat"/>). The root
/// is an overlay of <see cref="LowerDirectoriesBottomFirst"/> with <see cref="UpperDirectory"/> and
/// <see cref="WorkDirectory"/>, or, for the copy fallback, <see cref="CopiedRoot"/> bound as it is;
/// either is mounted on <see cref="MountPoint"/>.
/// </summary>
internal sealed class HelperRunSpec
{
    /// <summary>The unpacked layers, the image's first layer first, as everywhere; only overlay's <c>lowerdir=</c> lists them the other way.</summary>
    public List<string> LowerDirectoriesBottomFirst { get; } = [];

    public string UpperDirectory { get; set; } = "";

    public string WorkDirectory { get; set; } = "";

    /// <summary>The copy fallback: a complete root bound on <see cref="MountPoint"/> instead of an overlay, changed in place.</summary>
    public string CopiedRoot { get; set; } = "";

    /// <summary>The empty directory the root is mounted on before the helper pivots into it.</summary>
    public string MountPoint { get; set; } = "";

    /// <summary>argv; argv[0] without a slash is looked up in the PATH of <see cref="Environment"/>.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Exactly the command's environment, as <c>NAME=value</c>.</summary>
    public List<string> Environment { get; } = [];

    public string WorkingDirectory { get; set; } = "/";

    /// <summary><c>name</c>, <c>uid</c>, <c>name:group</c> or <c>uid:gid</c>; empty means root.</summary>
    public string User { get; set; } = "";

    public string Hostname { get; set; } = "";

    public HelperNetwork Network { get; set; } = HelperNetwork.Default;

    /// <summary>The container's own /etc/resolv.conf (its network's name server); when empty the build machine's is bound.</summary>
    public string ResolvConf { get; set; } = "";

    /// <summary>The network is connected from outside while the container is set up: the helper waits for a line on stdin before the exec.</summary>
    public bool AwaitNetwork { get; set; }

    public bool ReadOnlyRoot { get; set; }

    /// <summary>The lower directories carry user.overlay.* xattrs: overlay is mounted with userxattr.</summary>
    public bool UserXattr { get; set; }

    public List<HelperMount> Mounts { get; } = [];
}
