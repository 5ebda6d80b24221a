using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Steps;

/// <summary>
/// What a Dockerfile may ask of the build machine only when the user grants it, BuildKit's
/// entitlements (<c>docker buildx build --allow</c>): <c>network.host</c> lets <c>RUN --network=host</c>
/// share the machine's network. BuildKit's <c>security.insecure</c> is not offered: steps always run
/// with Docker's default capabilities.
/// </summary>
public sealed record BuildEntitlements
{
    public const string NetworkHostName = "network.host";
    private const string SecurityInsecureName = "security.insecure";

    public static BuildEntitlements None { get; } = new();

    public bool NetworkHost { get; init; }

    /// <summary>Entitlement names, each value one or several separated by commas (as buildx takes them).</summary>
    /// <param name="setting">What the user wrote them in (<c>ContainerAllow</c>, <c>--allow</c>), for the message.</param>
    public static BuildEntitlements Parse(IEnumerable<string> values, string setting)
    {
        ArgumentNullException.ThrowIfNull(values);
        var granted = None;
        foreach (string name in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            granted = name.ToLowerInvariant() switch
            {
                NetworkHostName => granted with { NetworkHost = true },
                SecurityInsecureName => throw new ContainerizeException(ErrorCodes.InvalidEntitlement,
                    $"{setting} '{name}' is not supported: RUN steps always run with Docker's default capabilities, and RUN --security=insecure is refused. Remove '{name}' from {setting}."),
                _ => throw new ContainerizeException(ErrorCodes.InvalidEntitlement,
                    $"{setting} '{name}' is not a known entitlement: the one that can be granted is {NetworkHostName} (RUN --network=host)."),
            };
        }
        return granted;
    }
}
