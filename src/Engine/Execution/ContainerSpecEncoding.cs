using Containerize.HelperProtocol;

namespace Containerize.Engine.Execution;

/// <summary>A <see cref="ContainerSpec"/> as the helper's spec file (<see cref="HelperRunSpecFormat"/>), with what only the launcher knows.</summary>
internal static class ContainerSpecEncoding
{
    /// <param name="mountPoint">The empty directory of the scratch folder the root is mounted on.</param>
    /// <param name="resolvConf">The container's own resolv.conf when the user-mode network serves it; the helper then waits for the network before the exec.</param>
    /// <param name="userXattr">The layers were unpacked for an overlay mounted with userxattr (rootless).</param>
    public static byte[] Encode(ContainerSpec spec, string mountPoint, string? resolvConf, bool userXattr)
    {
        var helperSpec = new HelperRunSpec
        {
            CopiedRoot = spec.RootDirectory is null ? "" : Path.GetFullPath(spec.RootDirectory),
            UpperDirectory = spec.RootDirectory is null ? Path.GetFullPath(spec.UpperDirectory) : "",
            WorkDirectory = spec.RootDirectory is null ? Path.GetFullPath(spec.OverlayWorkDirectory) : "",
            MountPoint = mountPoint,
            WorkingDirectory = string.IsNullOrEmpty(spec.WorkingDirectory) ? "/" : spec.WorkingDirectory,
            User = spec.User,
            Hostname = spec.Hostname,
            Network = spec.Network switch { ContainerNetwork.None => HelperNetwork.None, ContainerNetwork.Host => HelperNetwork.Host, _ => HelperNetwork.Default },
            ResolvConf = resolvConf ?? "",
            AwaitNetwork = resolvConf is not null, // the command starts once the user-mode network is connected from outside
            ReadOnlyRoot = spec.ReadOnlyRoot,
            UserXattr = userXattr,
        };
        helperSpec.LowerDirectoriesBottomFirst.AddRange(spec.LowerDirectoriesBottomFirst.Select(Path.GetFullPath));
        helperSpec.Arguments.AddRange(spec.Command);
        helperSpec.Environment.AddRange(spec.Environment);
        helperSpec.Mounts.AddRange(spec.Mounts.Select(m => new HelperMount(
            m.Type == ContainerMountType.Tmpfs ? HelperMountKind.Tmpfs : HelperMountKind.Bind, m.Target, m.Source is null ? "" : Path.GetFullPath(m.Source), m.ReadOnly)));
        return HelperRunSpecFormat.Encode(helperSpec);
    }
}
