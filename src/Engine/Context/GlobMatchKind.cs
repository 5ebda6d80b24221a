namespace Containerize.Engine.Context;

/// <summary>
/// How a pattern is matched, the same classification Docker's patternmatcher makes. It is not
/// only a speed-up: a leading "**" followed by literal text matches any path ending with that
/// text ("**file" matches "myfile"), which is Docker's behaviour.
/// </summary>
public enum GlobMatchKind
{
    /// <summary>Only literal characters: the path must equal the pattern.</summary>
    Exact,

    /// <summary>Literal characters then a final "**": the path must start with the literal part.</summary>
    Prefix,

    /// <summary>A leading "**" then literal characters: the path must end with them (or equal them without the leading "/").</summary>
    Suffix,

    /// <summary>Anything else: the wildcard automaton decides.</summary>
    Wildcard,
}
