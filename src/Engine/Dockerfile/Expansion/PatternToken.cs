using System.Text;

namespace Containerize.Engine.Dockerfile.Expansion;

internal enum PatternTokenKind
{
    Literal,
    AnyCharacter,
    AnyString,
}

/// <summary>One element of a shell pattern: a literal character, <c>?</c> or <c>*</c>.</summary>
internal readonly record struct PatternToken(PatternTokenKind Kind, Rune Literal = default)
{
    /// <summary>
    /// BuildKit turns patterns into Go regular expressions whose <c>.</c> does not match a newline,
    /// so <c>?</c> and <c>*</c> never match one either.
    /// </summary>
    public bool Accepts(Rune rune) => Kind switch
    {
        PatternTokenKind.Literal => rune == Literal,
        _ => rune.Value != '\n',
    };
}
