using System.Collections.Frozen;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// Which instructions and flags the builder expands before using them, as the Dockerfile reference
/// ("Environment replacement") and BuildKit define it. <c>RUN</c>, <c>CMD</c>, <c>ENTRYPOINT</c>,
/// <c>SHELL</c> and <c>HEALTHCHECK</c> arguments are left to the shell in the container.
/// <c>ONBUILD</c> is not expanded where it is written: its trigger is expanded by the rules of the
/// trigger's own instruction when a downstream build runs it.
/// </summary>
public static class ExpansionRules
{
    private static readonly FrozenSet<string> NoFlags = FrozenSet<string>.Empty;

    private static readonly FrozenDictionary<string, bool> ArgumentsByKeyword = new Dictionary<string, bool>
    {
        ["ADD"] = true,
        ["ARG"] = true,
        ["COPY"] = true,
        ["ENV"] = true,
        ["EXPOSE"] = true,
        // The image reference is expanded with the global (pre-FROM) ARGs only.
        ["FROM"] = true,
        ["LABEL"] = true,
        ["STOPSIGNAL"] = true,
        ["USER"] = true,
        ["VOLUME"] = true,
        ["WORKDIR"] = true,
        ["CMD"] = false,
        ["ENTRYPOINT"] = false,
        ["HEALTHCHECK"] = false,
        ["MAINTAINER"] = false,
        ["ONBUILD"] = false,
        ["RUN"] = false,
        ["SHELL"] = false,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, FrozenSet<string>> FlagsByKeyword = new Dictionary<string, FrozenSet<string>>
    {
        ["ADD"] = Flags("chown", "chmod", "checksum"),
        ["COPY"] = Flags("chown", "chmod", "from"),
        ["FROM"] = Flags("platform"),
        // Every option value inside each --mount (target, source, from, id, …).
        ["RUN"] = Flags("mount"),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>All instruction keywords this table knows, upper case.</summary>
    public static IEnumerable<string> Keywords => ArgumentsByKeyword.Keys.Order(StringComparer.Ordinal);

    /// <summary>True when the instruction's arguments go through word expansion; false for unknown keywords.</summary>
    public static bool ExpandsArguments(string keyword) =>
        ArgumentsByKeyword.TryGetValue(keyword, out bool expands) && expands;

    /// <summary>Names (without <c>--</c>) of the instruction's flags whose values are expanded.</summary>
    public static IReadOnlySet<string> ExpandedFlags(string keyword) =>
        FlagsByKeyword.TryGetValue(keyword, out var flags) ? flags : NoFlags;

    /// <summary>True when the value of <paramref name="flag"/> (with or without <c>--</c>) is expanded.</summary>
    public static bool ExpandsFlag(string keyword, string flag) =>
        ExpandedFlags(keyword).Contains(flag.StartsWith("--", StringComparison.Ordinal) ? flag[2..] : flag);

    private static FrozenSet<string> Flags(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);
}
