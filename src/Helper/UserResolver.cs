using Containerize.HelperProtocol;
namespace Containerize.Helper;

/// <summary>The ids a step runs as, and the home directory runc gives HOME when the environment has none ("/" without a passwd entry).</summary>
internal sealed record ResolvedUser(uint Uid, uint Gid, uint[] SupplementaryGroups, string Home);

/// <summary>
/// Resolves a Dockerfile USER (<c>name</c>, <c>uid</c>, <c>name:group</c>, <c>uid:gid</c>) against the
/// root's <c>/etc/passwd</c> and <c>/etc/group</c> the way runc does: a numeric user that is not in
/// passwd runs with gid 0; an unknown name is an error; supplementary groups are the groups that list
/// the user as a member, unless a group is given explicitly.
/// </summary>
internal static class UserResolver
{
    public static ResolvedUser Resolve(string spec, string passwdPath, string groupPath)
    {
        if (spec.Length == 0) spec = "0";
        int colon = spec.IndexOf(':');
        string userPart = colon < 0 ? spec : spec[..colon];
        string? groupPart = colon < 0 ? null : spec[(colon + 1)..];
        if (userPart.Length == 0) userPart = "0";

        var passwd = ReadEntries(passwdPath);
        var groups = ReadEntries(groupPath);
        bool userIsNumber = uint.TryParse(userPart, out uint uidNumber);

        string[]? match = passwd.FirstOrDefault(e => e.Length >= 4 && e[0] == userPart)
            ?? (userIsNumber ? passwd.FirstOrDefault(e => e.Length >= 4 && uint.TryParse(e[2], out uint u) && u == uidNumber) : null);
        uint uid, gid = 0;
        string? name = null;
        string home = "/";
        if (match is not null)
        {
            name = match[0];
            if (match.Length >= 6 && match[5].Length > 0) home = match[5];
            if (!uint.TryParse(match[2], out uid))
            {
                throw new HelperException(HelperFailureCodes.UserNotFound, $"the image's /etc/passwd gives {name} the uid '{match[2]}', which is not a number");
            }
            uint.TryParse(match[3], out gid);
        }
        else if (userIsNumber)
        {
            uid = uidNumber;
        }
        else
        {
            throw new HelperException(HelperFailureCodes.UserNotFound,
                $"unable to find user {userPart}: no matching entries in /etc/passwd of the image");
        }

        var supplementary = new List<uint>();
        if (!string.IsNullOrEmpty(groupPart))
        {
            bool groupIsNumber = uint.TryParse(groupPart, out uint gidNumber);
            string[]? g = groups.FirstOrDefault(e => e.Length >= 3 && e[0] == groupPart)
                ?? (groupIsNumber ? groups.FirstOrDefault(e => e.Length >= 3 && uint.TryParse(e[2], out uint x) && x == gidNumber) : null);
            if (g is not null)
            {
                if (!uint.TryParse(g[2], out gid))
                {
                    throw new HelperException(HelperFailureCodes.UserNotFound, $"the image's /etc/group gives {groupPart} the gid '{g[2]}', which is not a number");
                }
            }
            else if (groupIsNumber) gid = gidNumber;
            else throw new HelperException(HelperFailureCodes.UserNotFound,
                $"unable to find group {groupPart}: no matching entries in /etc/group of the image");
        }
        else if (name is not null)
        {
            foreach (var g in groups)
            {
                if (g.Length >= 4 && g[3].Split(',').Contains(name) && uint.TryParse(g[2], out uint x) && !supplementary.Contains(x))
                {
                    supplementary.Add(x);
                }
            }
        }
        if (!supplementary.Contains(gid)) supplementary.Insert(0, gid);
        return new ResolvedUser(uid, gid, supplementary.ToArray(), home);
    }

    private static List<string[]> ReadEntries(string path)
    {
        var list = new List<string[]>();
        string? text = ImageTextFile.Read(path);
        if (text is null) return list; // none (or a dangling link): numeric ids only
        foreach (string line in text.Split('\n'))
        {
            string l = line.Trim();
            if (l.Length == 0 || l[0] == '#') continue;
            list.Add(l.Split(':'));
        }
        return list;
    }
}
