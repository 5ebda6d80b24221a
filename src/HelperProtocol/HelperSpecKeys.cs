namespace Containerize.HelperProtocol;

/// <summary>
/// The keys of the spec file (<see cref="HelperRunSpecFormat"/>). A repeated key makes a list; the
/// keys of one extra mount follow its <see cref="MountType"/>.
/// </summary>
internal static class HelperSpecKeys
{
    /// <summary>Once per layer, the bottom layer first.</summary>
    public const string Lower = "lower";
    public const string Upper = "upper";
    public const string Work = "work";
    public const string CopiedRoot = "rootdir";
    public const string MountPoint = "root";
    public const string Argument = "arg";
    public const string Environment = "env";
    public const string WorkingDirectory = "cwd";
    public const string User = "user";
    public const string Hostname = "hostname";
    public const string Network = "network";
    public const string ResolvConf = "resolvconf";
    public const string AwaitNetwork = "awaitnetwork";
    public const string ReadOnlyRoot = "readonly";
    public const string UserXattr = "userxattr";
    public const string MountType = "mount.type";
    public const string MountSource = "mount.source";
    public const string MountTarget = "mount.target";
    public const string MountReadOnly = "mount.readonly";

    public const string True = "1";
    public const string False = "0";
}
