using System.Text;

namespace Containerize.HelperProtocol;

/// <summary>
/// The spec file: UTF-8 <c>key NUL value NUL</c> pairs (<see cref="HelperSpecKeys"/>). No value may
/// hold a NUL (no path, argument or environment entry can), so no value can add or change a key:
/// <see cref="Encode"/> refuses one, and the engine says which field held it before (CTZ7010).
/// </summary>
internal static class HelperRunSpecFormat
{
    public const char Separator = '\0';

    /// <exception cref="ArgumentException">The spec is incomplete, or a value holds a NUL.</exception>
    public static byte[] Encode(HelperRunSpec spec)
    {
        if (Problem(spec) is { } problem) throw new ArgumentException(problem, nameof(spec));
        var b = new StringBuilder();
        void Add(string key, string value)
        {
            if (value.Contains(Separator)) throw new ArgumentException($"the spec's {key} holds a NUL", nameof(spec));
            b.Append(key).Append(Separator).Append(value).Append(Separator);
        }
        void Flag(string key, bool value)
        {
            if (value) Add(key, HelperSpecKeys.True);
        }
        if (spec.CopiedRoot.Length > 0)
        {
            Add(HelperSpecKeys.CopiedRoot, spec.CopiedRoot);
        }
        else
        {
            foreach (string lower in spec.LowerDirectoriesBottomFirst) Add(HelperSpecKeys.Lower, lower);
            Add(HelperSpecKeys.Upper, spec.UpperDirectory);
            Add(HelperSpecKeys.Work, spec.WorkDirectory);
        }
        Add(HelperSpecKeys.MountPoint, spec.MountPoint);
        foreach (string a in spec.Arguments) Add(HelperSpecKeys.Argument, a);
        foreach (string e in spec.Environment) Add(HelperSpecKeys.Environment, e);
        Add(HelperSpecKeys.WorkingDirectory, spec.WorkingDirectory);
        Add(HelperSpecKeys.User, spec.User);
        Add(HelperSpecKeys.Hostname, spec.Hostname);
        Add(HelperSpecKeys.Network, NetworkName(spec.Network));
        if (spec.ResolvConf.Length > 0) Add(HelperSpecKeys.ResolvConf, spec.ResolvConf);
        Flag(HelperSpecKeys.AwaitNetwork, spec.AwaitNetwork);
        Flag(HelperSpecKeys.ReadOnlyRoot, spec.ReadOnlyRoot);
        Flag(HelperSpecKeys.UserXattr, spec.UserXattr);
        foreach (var m in spec.Mounts)
        {
            Add(HelperSpecKeys.MountType, m.Kind == HelperMountKind.Tmpfs ? "tmpfs" : "bind");
            if (m.Source.Length > 0) Add(HelperSpecKeys.MountSource, m.Source);
            Add(HelperSpecKeys.MountTarget, m.Target);
            Add(HelperSpecKeys.MountReadOnly, m.ReadOnly ? HelperSpecKeys.True : HelperSpecKeys.False);
        }
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <exception cref="InvalidDataException">An unknown key or value, or an incomplete spec.</exception>
    public static HelperRunSpec Decode(byte[] data)
    {
        var spec = new HelperRunSpec();
        string[] parts = Encoding.UTF8.GetString(data).Split(Separator);
        for (int i = 0; i + 1 < parts.Length; i += 2)
        {
            string key = parts[i], value = parts[i + 1];
            bool flag = value == HelperSpecKeys.True;
            switch (key)
            {
                case HelperSpecKeys.Lower: spec.LowerDirectoriesBottomFirst.Add(value); break;
                case HelperSpecKeys.Upper: spec.UpperDirectory = value; break;
                case HelperSpecKeys.Work: spec.WorkDirectory = value; break;
                case HelperSpecKeys.MountPoint: spec.MountPoint = value; break;
                case HelperSpecKeys.CopiedRoot: spec.CopiedRoot = value; break;
                case HelperSpecKeys.Argument: spec.Arguments.Add(value); break;
                case HelperSpecKeys.Environment: spec.Environment.Add(value); break;
                case HelperSpecKeys.WorkingDirectory: spec.WorkingDirectory = value; break;
                case HelperSpecKeys.User: spec.User = value; break;
                case HelperSpecKeys.Hostname: spec.Hostname = value; break;
                case HelperSpecKeys.Network: spec.Network = ParseNetwork(value); break;
                case HelperSpecKeys.ResolvConf: spec.ResolvConf = value; break;
                case HelperSpecKeys.AwaitNetwork: spec.AwaitNetwork = flag; break;
                case HelperSpecKeys.ReadOnlyRoot: spec.ReadOnlyRoot = flag; break;
                case HelperSpecKeys.UserXattr: spec.UserXattr = flag; break;
                case HelperSpecKeys.MountType: spec.Mounts.Add(new HelperMount(ParseMountKind(value), "")); break;
                case HelperSpecKeys.MountSource: LastMount(spec, key, m => m with { Source = value }); break;
                case HelperSpecKeys.MountTarget: LastMount(spec, key, m => m with { Target = value }); break;
                case HelperSpecKeys.MountReadOnly: LastMount(spec, key, m => m with { ReadOnly = flag }); break;
                default: throw new InvalidDataException($"unknown spec key '{key}'");
            }
        }
        if (Problem(spec) is { } problem) throw new InvalidDataException(problem);
        return spec;
    }

    private static string? Problem(HelperRunSpec spec)
    {
        if (spec.Arguments.Count == 0) return "the spec has no command";
        if (spec.CopiedRoot.Length > 0 && spec.LowerDirectoriesBottomFirst.Count > 0) return "the spec has both lower directories and a root directory";
        if (spec.CopiedRoot.Length == 0 && spec.LowerDirectoriesBottomFirst.Count == 0) return "the spec has no lower directory and no root directory";
        return null;
    }

    private static void LastMount(HelperRunSpec spec, string key, Func<HelperMount, HelperMount> change)
    {
        if (spec.Mounts.Count == 0) throw new InvalidDataException($"the spec's {key} comes before any {HelperSpecKeys.MountType}");
        spec.Mounts[^1] = change(spec.Mounts[^1]);
    }

    private static string NetworkName(HelperNetwork network) => network switch
    {
        HelperNetwork.Host => "host",
        HelperNetwork.None => "none",
        _ => "default",
    };

    private static HelperNetwork ParseNetwork(string value) => value switch
    {
        "default" => HelperNetwork.Default,
        "host" => HelperNetwork.Host,
        "none" => HelperNetwork.None,
        _ => throw new InvalidDataException($"unknown network '{value}'"),
    };

    private static HelperMountKind ParseMountKind(string value) => value switch
    {
        "bind" => HelperMountKind.Bind,
        "tmpfs" => HelperMountKind.Tmpfs,
        _ => throw new InvalidDataException($"unknown mount type '{value}'"),
    };
}
