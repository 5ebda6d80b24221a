using System.Text;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// Reads a word one Unicode scalar at a time, as BuildKit's Go scanner does, so that names made
/// of letters outside the BMP and `?` in patterns see whole characters, not UTF-16 halves.
/// </summary>
internal sealed class RuneReader
{
    /// <summary>Returned by <see cref="Peek"/> and <see cref="Next"/> at the end of the word.</summary>
    public const int End = -1;

    private readonly Rune[] _runes;
    private int _position;

    public RuneReader(string text)
    {
        _runes = ToRunes(text);
    }

    public bool AtEnd => _position >= _runes.Length;

    public int Peek() => AtEnd ? End : _runes[_position].Value;

    public int Next() => AtEnd ? End : _runes[_position++].Value;

    /// <summary>Appends a scalar value read by this reader (never <see cref="End"/>).</summary>
    public static void Append(StringBuilder builder, int rune)
    {
        if (rune < 0x10000) builder.Append((char)rune);
        else builder.Append(new Rune(rune).ToString());
    }

    public static Rune[] ToRunes(string text)
    {
        var runes = new List<Rune>(text.Length);
        foreach (Rune rune in text.EnumerateRunes()) runes.Add(rune);
        return runes.ToArray();
    }
}
