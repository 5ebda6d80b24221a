using System.Text;

namespace Containerize.Engine.Tests.Layers;

/// <summary>
/// Random hostile layers from a seed: tar headers with bad checksums, huge, negative or garbage
/// numbers, PAX and GNU long names and links, sparse and unknown type flags; names that climb out,
/// are absolute, hold a NUL, are too long or are whiteouts in odd places; links to missing, later,
/// outside entries and symlink chains; then gzip damage (a flipped byte, truncation, trailing
/// garbage, a wrong CRC) or none. The same seed gives the same layer.
/// </summary>
internal sealed class HostileLayerGenerator(int seed, string outside)
{
    private readonly Random _random = new(seed);
    private readonly List<string> _names = [];
    private bool _mild;

    public sealed record Case(byte[] Blob, byte[] Tar, bool Gzip, bool LyingDiffId, IReadOnlyList<string> Files, string Description);

    public Case Next()
    {
        var tar = new HostileTar();
        _names.Clear();
        // Half the layers are mostly well-formed, with one hostile entry at a random place, so that
        // the readers get past the first entry and meet the damage after real work.
        _mild = _random.Next(2) == 0;
        var steps = new List<string> { _mild ? "mild" : "wild" };
        int entries = _random.Next(1, 14);
        int hostileAt = _random.Next(entries);
        for (int i = 0; i < entries; i++)
        {
            bool wasMild = _mild;
            if (i == hostileAt) _mild = false;
            steps.Add(AddEntry(tar));
            _mild = wasMild;
        }
        bool endMarker = _mild || _random.Next(8) != 0;
        byte[] plain = tar.ToArray(endMarker);
        if (!endMarker) steps.Add("no end marker");
        if (!_mild && _random.Next(10) == 0)
        {
            int cut = _random.Next(plain.Length + 1);
            plain = plain[..cut];
            steps.Add($"tar cut at {cut}");
        }

        bool gzip = _random.Next(4) != 0;
        byte[] blob = plain;
        if (gzip)
        {
            (blob, string damage) = Compress(plain);
            steps.Add(damage);
        }
        bool lying = !_mild && _random.Next(12) == 0;
        if (lying) steps.Add("lying diff ID");
        return new Case(blob, plain, gzip, lying, _names.Select(n => "/" + n).ToList(), string.Join("; ", steps));
    }

    private string AddEntry(HostileTar tar)
    {
        string name = Name();
        switch (_random.Next(_mild ? 9 : 16))
        {
            case 0 or 1 or 2:
                tar.File(name, Content());
                _names.Add(name);
                return $"file '{Show(name)}'";
            case 3 or 4:
                tar.Directory(name);
                return $"dir '{Show(name)}'";
            case 5 or 6:
            {
                string target = LinkTarget();
                if (target.Length > 100 || _random.Next(3) == 0) tar.Pax(("linkpath", target));
                tar.Symlink(name, target);
                _names.Add(name);
                return $"symlink '{Show(name)}' -> '{Show(target)}'";
            }
            case 7:
            {
                string target = LinkTarget();
                if (target.Length > 100) tar.GnuLong('K', target);
                tar.HardLink(name, target.Length > 100 ? "x" : target);
                return $"hard link '{Show(name)}' => '{Show(target)}'";
            }
            case 8:
            {
                string parent = _names.Count > 0 && _random.Next(2) == 0 ? Pick(_names) : Name();
                string whiteout = parent + "/" + (_random.Next(2) == 0 ? ".wh..wh..opq" : ".wh." + Segment());
                tar.File(whiteout, "");
                return $"whiteout '{Show(whiteout)}'";
            }
            case 9:
            {
                var (key, value) = _random.Next(6) switch
                {
                    0 => ("path", name),
                    1 => ("size", Pick(["-1", "99999999999999999999", "abc", "1e9", "", "4096"])),
                    2 => ("linkpath", LinkTarget()),
                    3 => ("SCHILY.xattr.user.fuzz", new string('x', _random.Next(0, 70_000))),
                    4 => ("uid", Pick(["-5", "4294967296", "nan"])),
                    _ => ("mtime", Pick(["1.5", "-1", "x.y"])),
                };
                if (_random.Next(10) == 0) tar.Raw(Encoding.ASCII.GetBytes("garbage pax")); // a record that is not one
                tar.Pax((key, value));
                tar.File(name, Content());
                _names.Add(key == "path" ? value : name);
                return $"pax {key}='{Show(value)}' then file '{Show(name)}'";
            }
            case 10:
            {
                string longName = string.Join('/', Enumerable.Range(0, _random.Next(1, 30)).Select(_ => Segment(_random.Next(1, 300))));
                tar.GnuLong('L', longName).File("placeholder", Content());
                _names.Add(longName);
                return $"GNU long name of {longName.Length}";
            }
            case 11:
            {
                char type = Pick(['S', 'M', 'V', 'D', 'N', 'A', 'z', '\x01', 'g', 'x', 'L', 'K']);
                int size = _random.Next(0, 2000);
                tar.Header(name, type, size).Data(Content(size));
                return $"type '{type}' size {size}";
            }
            case 12:
            {
                byte[] raw = Pick<byte[]>([
                    Encoding.ASCII.GetBytes("77777777777\0"),
                    Encoding.ASCII.GetBytes("99999999999\0"),
                    Encoding.ASCII.GetBytes("-0000000001\0"),
                    [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                    [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                    [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0],
                    Encoding.ASCII.GetBytes("   12    \0\0\0"),
                ]);
                tar.Header(name, '0', rawSize: raw).Data(Content(_random.Next(0, 600)));
                return $"file '{Show(name)}' with size field {Convert.ToHexString(raw)}";
            }
            case 13:
                tar.Header(name, Pick(['0', '5', '2']), _random.Next(0, 10), badChecksum: true, rawMode: _random.Next(2) == 0 ? Encoding.ASCII.GetBytes("8888888\0") : null);
                return $"bad checksum '{Show(name)}'";
            case 14:
                tar.Header(name, Pick(['3', '4', '6']), linkName: null);
                _names.Add(name);
                return $"device or fifo '{Show(name)}'";
            default:
            {
                string prefix = string.Join('/', Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Segment()));
                tar.Header(Segment(), '0', 4, prefix: prefix).Data("abcd"u8.ToArray());
                return $"ustar prefix '{prefix}'";
            }
        }
    }

    private string Name() => (_mild ? _random.Next(6, 10) : _random.Next(10)) switch
    {
        0 => Pick(["..", "../x", "a/../../x", "/../../outside-file", "../../../outside/f", "../../../../../../outside/f", "./", "/", ""]),
        1 => Pick(["/etc/passwd", "/abs/file", "//double//slash"]),
        2 => "nul\0inside",
        3 => Segment(_random.Next(250, 400)),
        4 => string.Join('/', Enumerable.Range(0, _random.Next(10, 25)).Select(_ => Segment(_random.Next(200, 256)))),
        5 => Pick([".wh..wh..opq", ".wh.", ".wh..", ".wh...", "etc/.wh..wh..opq/x", "a/.wh.b/c"]),
        6 when _names.Count > 0 => Pick(_names) + "/" + Segment(), // under an earlier entry, maybe a file or a symlink
        7 when _names.Count > 0 => Pick(_names), // the same name again, maybe as another type
        _ => string.Join('/', Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Segment())),
    };

    private string LinkTarget() => (_mild ? _random.Next(3, 6) : _random.Next(9)) switch
    {
        0 => outside,
        1 => outside + "/f",
        2 => Pick(["../../../outside", "../../../../../../outside", "../../..", "/", "..", "."]),
        3 when _names.Count > 0 => Pick(_names),
        4 when _names.Count > 0 => "/" + Pick(_names),
        5 => "later/" + Segment(),
        6 => "/" + string.Join('/', Enumerable.Repeat(Segment(200), 25)),
        7 => "",
        _ => Segment(),
    };

    private (byte[] Blob, string Damage) Compress(byte[] plain)
    {
        byte[] gzip = HostileTar.Gzip(plain);
        switch (_mild ? _random.Next(4, 10) : _random.Next(8))
        {
            case 0:
            {
                byte[] flipped = (byte[])gzip.Clone();
                int at = _random.Next(flipped.Length);
                flipped[at] ^= (byte)(1 << _random.Next(8));
                return (flipped, $"gzip byte {at} flipped");
            }
            case 1:
            {
                int cut = _random.Next(gzip.Length);
                return (gzip[..cut], $"gzip cut at {cut} of {gzip.Length}");
            }
            case 2:
                return ([.. gzip, .. Content(_random.Next(1, 64))], "trailing garbage");
            case 3:
                return (HostileTar.WithTrailerByteFlipped(gzip, _random.Next(1, 9)), "wrong CRC-32 or ISIZE");
            case 4:
            {
                int split = _random.Next(plain.Length + 1);
                return ([.. HostileTar.Gzip(plain[..split]), .. HostileTar.Gzip(plain[split..])], $"two gzip members split at {split}");
            }
            default:
                return (gzip, "gzip intact");
        }
    }

    private string Segment(int length = 0)
    {
        if (length == 0) length = _random.Next(1, 12);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789._-é";
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++) builder.Append(alphabet[_random.Next(alphabet.Length)]);
        return builder.ToString();
    }

    private byte[] Content(int size = -1)
    {
        var bytes = new byte[size < 0 ? _random.Next(0, 3000) : size];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static string Show(string name) => name.Length <= 60 ? name.Replace("\0", "\\0") : $"{name[..60]}…({name.Length})";
}
