namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// The outcome of expanding one instruction argument: the single-word result, the same text split
/// into words on unquoted white space, and which variable names were looked up and found
/// (<see cref="Matched"/>) or looked up and unset (<see cref="Unmatched"/>) — the planner uses
/// these for unused build-arg warnings and cache keys.
/// </summary>
public sealed record ExpansionResult(
    string Result,
    IReadOnlyList<string> Words,
    IReadOnlySet<string> Matched,
    IReadOnlySet<string> Unmatched);
