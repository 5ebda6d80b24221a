using System.Text;

namespace Containerize.Helper;

/// <summary>An extra mount: <c>bind</c> (Source on the host) or <c>tmpfs</c>, at Target inside the root.</summary>
internal sealed record MountEntry(string Type, string Source, string Target, bool ReadOnly);

/// <summary>
/// What to run, as the launcher writes it to <c>&lt;scratch&gt;/spec</c>: UTF-8 <c>key NUL value NUL</c>
/// pairs (no value can contain NUL: paths, argv and environment cannot). Repeated keys form lists;
/// a mount starts with <c>mount.type</c>.
/// </summary>
internal sealed class RunSpec
{
    public List<string> LowerDirectories { get; } = new(); // lowest first
    public string UpperDirectory { get; set; } = "";
    public string WorkDirectory { get; set; } = "";
    public string RootDirectory { get; set; } = "";         // the merged mount point
    /// <summary>The copy fallback: a complete root to bind on <see cref="RootDirectory"/> instead of an overlay.</summary>
    public string BindRoot { get; set; } = "";
    public List<string> Arguments { get; } = new();
    public List<string> Environment { get; } = new();
    public string WorkingDirectory { get; set; } = "/";
    public string User { get; set; } = "";
    public string Hostname { get; set; } = "";
    public string Network { get; set; } = "default";
    /// <summary>The step's own /etc/resolv.conf (its network's name server), else the build machine's is bound.</summary>
    public string ResolvConf { get; set; } = "";
    /// <summary>The network is connected from outside while the container is set up: wait for a line on stdin before the exec.</summary>
    public bool AwaitNetwork { get; set; }
    public bool ReadOnlyRoot { get; set; }
    /// <summary>The lower directories carry user.overlay.* xattrs: mount with userxattr or not at all.</summary>
    public bool UserXattr { get; set; }
    public List<MountEntry> Mounts { get; } = new();

    public static RunSpec Parse(byte[] data)
    {
        var spec = new RunSpec();
        string[] parts = Encoding.UTF8.GetString(data).Split('\0');
        for (int i = 0; i + 1 < parts.Length; i += 2)
        {
            string key = parts[i], value = parts[i + 1];
            switch (key)
            {
                case "lower": spec.LowerDirectories.Add(value); break;
                case "upper": spec.UpperDirectory = value; break;
                case "work": spec.WorkDirectory = value; break;
                case "root": spec.RootDirectory = value; break;
                case "rootdir": spec.BindRoot = value; break;
                case "arg": spec.Arguments.Add(value); break;
                case "env": spec.Environment.Add(value); break;
                case "cwd": spec.WorkingDirectory = value; break;
                case "user": spec.User = value; break;
                case "hostname": spec.Hostname = value; break;
                case "network": spec.Network = value; break;
                case "resolvconf": spec.ResolvConf = value; break;
                case "awaitnetwork": spec.AwaitNetwork = value == "1"; break;
                case "readonly": spec.ReadOnlyRoot = value == "1"; break;
                case "userxattr": spec.UserXattr = value == "1"; break;
                case "mount.type": spec.Mounts.Add(new MountEntry(value, "", "", false)); break;
                case "mount.source": spec.Mounts[^1] = spec.Mounts[^1] with { Source = value }; break;
                case "mount.target": spec.Mounts[^1] = spec.Mounts[^1] with { Target = value }; break;
                case "mount.readonly": spec.Mounts[^1] = spec.Mounts[^1] with { ReadOnly = value == "1" }; break;
                default: throw new HelperException(HelperException.Setup, $"unknown spec key '{key}'");
            }
        }
        if (spec.Arguments.Count == 0) throw new HelperException(HelperException.Setup, "the spec has no command");
        if (spec.LowerDirectories.Count == 0 && spec.BindRoot.Length == 0) throw new HelperException(HelperException.Setup, "the spec has no lower directory and no root directory");
        if (spec.BindRoot.Length > 0) spec.UpperDirectory = spec.BindRoot; // mount points are created in it directly: nothing is copied up
        return spec;
    }
}

/// <summary>A failure before the command runs; <see cref="Code"/> is the engine's stable error code.</summary>
internal sealed class HelperException(string code, string message) : Exception(message)
{
    public const string Setup = "CTZ7000";
    public const string UserNotFound = "CTZ7003";
    public const string CommandNotFound = "CTZ7004";
    public const string Overlay = "CTZ7005";
    public const string Extract = "CTZ7007";

    public string Code { get; } = code;

    public static HelperException FromErrno(string what, int errno, string code = Setup) =>
        new(code, $"{what}: {Libc.ErrorText(errno)} (errno {errno})");
}
