using System.Runtime.InteropServices;

namespace Containerize.Engine.Execution;

public enum UserNamespaceKind
{
    /// <summary>We are root: no user namespace, the full id range as it is.</summary>
    None,
    /// <summary>A user namespace: container root is us, ids 1..N are our /etc/subuid and /etc/subgid range (newuidmap/newgidmap).</summary>
    SubordinateRange,
    /// <summary>A user namespace with one id: container root is us; steps that switch users fail.</summary>
    SingleId,
}

/// <summary>How container ids map to host ids for this process, decided once from who we are and what the host offers.</summary>
public sealed record UserNamespaceMapping(UserNamespaceKind Kind, uint HostUid, uint HostGid, long SubUidStart = 0, long SubUidCount = 0, long SubGidStart = 0, long SubGidCount = 0,
    string? NewUidMap = null, string? NewGidMap = null)
{
    [DllImport("libc")] private static extern uint geteuid();
    [DllImport("libc")] private static extern uint getegid();

    /// <summary>Why <see cref="UserNamespaceKind.SingleId"/> was chosen, for the log.</summary>
    public string? Warning { get; init; }

    /// <summary>Host uid → container uid, to read back what a step wrote (identity as root).</summary>
    public IdMapping Uids => Translation(HostUid, SubUidStart, SubUidCount);

    public IdMapping Gids => Translation(HostGid, SubGidStart, SubGidCount);

    private IdMapping Translation(uint host, long subStart, long subCount) => Kind switch
    {
        UserNamespaceKind.None => IdMapping.Identity,
        UserNamespaceKind.SingleId => new([new IdRange(0, host, 1)]),
        _ => new([new IdRange(0, host, 1), new IdRange(1, subStart, subCount)]),
    };

    public static UserNamespaceMapping Detect()
    {
        uint uid = geteuid(), gid = getegid();
        if (uid == 0) return new UserNamespaceMapping(UserNamespaceKind.None, 0, 0);
        string name = Environment.UserName;
        var subuid = ReadRange("/etc/subuid", name, uid);
        var subgid = ReadRange("/etc/subgid", name, uid);
        string? newuidmap = ExecutableSearch.Find("newuidmap", "/usr/bin", "/usr/sbin");
        string? newgidmap = ExecutableSearch.Find("newgidmap", "/usr/bin", "/usr/sbin");
        if (subuid is { } u && subgid is { } g && newuidmap is not null && newgidmap is not null)
        {
            return new UserNamespaceMapping(UserNamespaceKind.SubordinateRange, uid, gid, u.Start, u.Count, g.Start, g.Count, newuidmap, newgidmap);
        }
        string why = newuidmap is null || newgidmap is null
            ? "newuidmap/newgidmap are not installed (Debian/Ubuntu package uidmap, Fedora shadow-utils)"
            : $"user {name} has no range in /etc/subuid and /etc/subgid (add one, e.g. usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {name})";
        return new UserNamespaceMapping(UserNamespaceKind.SingleId, uid, gid)
        {
            Warning = $"RUN steps run with a single mapped id because {why}: steps that switch to another user (USER, apt-get's _apt, chown) will fail.",
        };
    }

    private static (long Start, long Count)? ReadRange(string file, string name, uint uid)
    {
        try
        {
            foreach (string line in File.ReadLines(file))
            {
                string[] f = line.Split(':');
                if (f.Length == 3 && (f[0] == name || f[0] == uid.ToString()) && long.TryParse(f[1], out long start) && long.TryParse(f[2], out long count) && count > 0)
                {
                    return (start, count);
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
