namespace Containerize.Engine.Context;

/// <summary>A "[...]" class: inclusive code point ranges, possibly negated with a leading '^'.</summary>
internal sealed class CharacterClass
{
    private readonly (int Low, int High)[] _ranges;

    public CharacterClass(bool negated, IReadOnlyList<(int Low, int High)> ranges)
    {
        Negated = negated;
        _ranges = ranges.ToArray();
    }

    public bool Negated { get; }

    /// <summary>
    /// A range such as "z-a" is legal for filepath.Match but Docker compiles classes into a Go
    /// regular expression, which rejects it; Docker then fails on the first match attempt.
    /// </summary>
    public bool HasReversedRange => _ranges.Any(r => r.Low > r.High);

    public bool Contains(int rune)
    {
        bool inRanges = false;
        foreach (var (low, high) in _ranges)
        {
            if (low <= rune && rune <= high)
            {
                inRanges = true;
                break;
            }
        }
        return inRanges != Negated;
    }
}
