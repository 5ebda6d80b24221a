using System.Globalization;
using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Copy;

/// <summary>
/// The owner --chown asks for. Numeric ids need no lookup; names come from the image's /etc/passwd
/// and /etc/group. A user without a group gets its primary group from passwd, or gid = uid when
/// the user is numeric (as BuildKit does).
/// </summary>
internal sealed record CopyOwner(long Uid, long Gid)
{
    public static readonly CopyOwner Root = new(0, 0);

    public static CopyOwner Resolve(string? chown, IImageFileSystem image, CopyErrors errors)
    {
        if (string.IsNullOrEmpty(chown)) return Root;
        string[] parts = chown.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0 || (parts.Length == 2 && parts[1].Length == 0))
        {
            throw errors.Create(ErrorCodes.InvalidCopyOwner, $"--chown={chown} is not of the form user[:group]; write e.g. --chown=app:app or --chown=1000:1000.");
        }
        string user = parts[0];
        string? group = parts.Length == 2 ? parts[1] : null;

        long uid;
        long? primaryGid = null;
        if (TryParseId(user, out long numericUid)) uid = numericUid;
        else
        {
            var fields = Lookup(image, "/etc/passwd", user, errors, "user");
            if (fields.Length < 4 || !TryParseId(fields[2], out uid) || !TryParseId(fields[3], out long gidFromPasswd))
            {
                throw errors.Create(ErrorCodes.CopyOwnerNotFound, $"--chown={chown}: the line for user '{user}' in the image's /etc/passwd has no numeric uid and gid; fix the image's /etc/passwd or use numeric ids.");
            }
            primaryGid = gidFromPasswd;
        }

        long gid;
        if (group is null) gid = primaryGid ?? uid;
        else if (TryParseId(group, out long numericGid)) gid = numericGid;
        else
        {
            var fields = Lookup(image, "/etc/group", group, errors, "group");
            if (fields.Length < 3 || !TryParseId(fields[2], out gid))
            {
                throw errors.Create(ErrorCodes.CopyOwnerNotFound, $"--chown={chown}: the line for group '{group}' in the image's /etc/group has no numeric gid; fix the image's /etc/group or use a numeric gid.");
            }
        }
        return new CopyOwner(uid, gid);
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= uint.MaxValue;

    private static string[] Lookup(IImageFileSystem image, string file, string name, CopyErrors errors, string kind)
    {
        byte[]? content = image.ReadFile(file);
        if (content is null)
        {
            throw errors.Create(ErrorCodes.CopyOwnerNotFound,
                $"unable to find {kind} '{name}': the image has no {file} to look the name up in. Use a numeric id (e.g. --chown=1000:1000) or create the {kind} in an earlier step.");
        }
        foreach (string line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            string[] fields = line.TrimEnd('\r').Split(':');
            if (fields[0] == name && !line.StartsWith('#')) return fields;
        }
        throw errors.Create(ErrorCodes.CopyOwnerNotFound,
            $"unable to find {kind} '{name}': no matching entries in {file} of the image. Create the {kind} in an earlier step or use a numeric id.");
    }
}
