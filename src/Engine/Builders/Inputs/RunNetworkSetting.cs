using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>The network named in a setting (<c>ContainerRunNetwork</c>, <c>--network</c>): <c>default</c>, <c>host</c> or <c>none</c>.</summary>
public static class RunNetworkSetting
{
    /// <summary>Reads a value given as text; empty means <see cref="ContainerNetwork.Default"/>.</summary>
    /// <param name="setting">What the user wrote it in, for the message.</param>
    public static ContainerNetwork Parse(string? text, string setting) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "default" => ContainerNetwork.Default,
        "host" => ContainerNetwork.Host,
        "none" => ContainerNetwork.None,
        _ => throw new ContainerizeException(ErrorCodes.InvalidRunNetwork,
            $"{setting} '{text!.Trim()}' is not a network: use default (a network namespace of its own with outbound access), "
            + "host (the build machine's network, its loopback services included) or none (loopback only)."),
    };
}
