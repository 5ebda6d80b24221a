using System.Text;

namespace Containerize.Engine.Layers;

/// <summary>Orders strings by their UTF-8 bytes, as Go and GNU tar order names (UTF-16 ordinal differs above U+E000).</summary>
internal sealed class Utf8OrdinalComparer : IComparer<string>
{
    public static readonly Utf8OrdinalComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }
}
