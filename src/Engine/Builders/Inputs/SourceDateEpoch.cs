using System.Globalization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// <c>SOURCE_DATE_EPOCH</c> (reproducible-builds.org): whole seconds since 1970-01-01 UTC, read the
/// same way by the MSBuild tasks and the CLI; anything else is CTZ4000.
/// </summary>
public static class SourceDateEpoch
{
    public const string EnvironmentVariable = "SOURCE_DATE_EPOCH";

    /// <summary>The last second DateTimeOffset can hold (9999-12-31T23:59:59Z).</summary>
    private const long Latest = 253402300799;

    /// <summary>The time <paramref name="text"/> gives; null when it is empty or unset.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > Latest)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"{EnvironmentVariable} '{text}' is not a number of seconds since 1970-01-01 (e.g. the output of git log -1 --format=%ct).");
        }
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public static DateTimeOffset? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
}
