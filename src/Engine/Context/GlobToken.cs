namespace Containerize.Engine.Context;

internal enum GlobTokenKind
{
    /// <summary>One given character.</summary>
    Literal,

    /// <summary>"?": one character other than '/'.</summary>
    AnyCharacter,

    /// <summary>"*": any run of characters other than '/'.</summary>
    AnyRun,

    /// <summary>"[...]": one character of the class.</summary>
    Class,

    /// <summary>"**" inside a pattern: nothing, or anything ending with '/'.</summary>
    AnyDirectories,

    /// <summary>A final "**": anything.</summary>
    AnyRest,
}

/// <summary>One step of a compiled glob; <see cref="Rune"/> is for literals, <see cref="Class"/> for classes.</summary>
internal readonly record struct GlobToken(GlobTokenKind Kind, int Rune = 0, CharacterClass? Class = null);
