using Containerize.Engine.Execution;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Run;

/// <summary>An image to run once, like <c>docker run --rm</c>: its entrypoint with its Cmd, or with <see cref="Command"/> instead.</summary>
public sealed record RunImageRequest
{
    public required ImageReference Image { get; init; }

    /// <summary>Replaces the image's Cmd (the entrypoint stays); null keeps the Cmd.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>NAME=VALUE entries added to (or replacing in) the image's environment.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    public Platform Platform { get; init; } = Platform.Host;

    public ContainerNetwork Network { get; init; } = ContainerNetwork.Default;
}
