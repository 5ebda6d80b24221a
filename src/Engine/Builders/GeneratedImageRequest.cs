using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders;

/// <summary>
/// An image described by project properties rather than a Dockerfile: a base image plus the
/// publish output as one layer, with the runtime settings of the SDK's container properties.
/// </summary>
public sealed record GeneratedImageRequest
{
    /// <summary>The folder whose contents become the application layer.</summary>
    public required string PublishDirectory { get; init; }

    /// <summary>A registry reference, or <c>scratch</c> for an empty base.</summary>
    public required string BaseImage { get; init; }

    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>Where the publish output lands and the container starts (absolute).</summary>
    public string WorkingDirectory { get; init; } = "/app";

    /// <summary>The image's Entrypoint; null keeps the base image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>The image's Cmd; null keeps the base image's unless the entrypoint changes (then it is cleared, as Docker does).</summary>
    public IReadOnlyList<string>? Cmd { get; init; }

    public string? User { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>Ports as <c>number[/protocol]</c>, e.g. <c>8080</c> or <c>53/udp</c>.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>
    /// Keep the owners the files have on disk instead of root (for layers made from a root
    /// filesystem, such as a base image from debootstrap).
    /// </summary>
    public bool KeepFileOwners { get; init; }

    /// <summary>Docker or OCI manifests; null follows the base image (OCI for scratch), as the .NET SDK does.</summary>
    public ImageFormat? Format { get; init; }

    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c>: when set, the image's creation time and every file time is this
    /// instant, so the same inputs give the same digest.
    /// </summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }
}
