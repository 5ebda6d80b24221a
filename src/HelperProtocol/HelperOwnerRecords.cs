using System.Globalization;
using System.Text;

namespace Containerize.HelperProtocol;

/// <summary>One entry of a tree and the owner, mode and file capability it has inside the user namespace.</summary>
internal sealed record HelperOwnerRecord(string Path, uint Uid, uint Gid, int Mode, byte[]? Capability);

/// <summary>
/// The records file of the helper's <c>chown</c> (the engine writes it) and <c>own</c> (the helper
/// writes it) commands: <c>path NUL uid NUL gid NUL mode NUL capability-hex NUL</c> per entry, numbers in decimal.
/// </summary>
internal static class HelperOwnerRecords
{
    public static byte[] Encode(IEnumerable<HelperOwnerRecord> records)
    {
        var b = new StringBuilder();
        foreach (var r in records)
        {
            if (r.Path.Contains('\0')) throw new ArgumentException("A path cannot contain NUL.", nameof(records));
            b.Append(r.Path).Append('\0').Append(r.Uid.ToString(CultureInfo.InvariantCulture)).Append('\0')
                .Append(r.Gid.ToString(CultureInfo.InvariantCulture)).Append('\0').Append(r.Mode.ToString(CultureInfo.InvariantCulture)).Append('\0')
                .Append(r.Capability is null ? "" : Convert.ToHexString(r.Capability)).Append('\0');
        }
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    public static List<HelperOwnerRecord> Decode(byte[] data)
    {
        var list = new List<HelperOwnerRecord>();
        string[] f = Encoding.UTF8.GetString(data).Split('\0');
        for (int i = 0; i + 4 < f.Length; i += 5)
        {
            list.Add(new HelperOwnerRecord(f[i], uint.Parse(f[i + 1], CultureInfo.InvariantCulture), uint.Parse(f[i + 2], CultureInfo.InvariantCulture),
                int.Parse(f[i + 3], CultureInfo.InvariantCulture), f[i + 4].Length == 0 ? null : Convert.FromHexString(f[i + 4])));
        }
        return list;
    }
}
