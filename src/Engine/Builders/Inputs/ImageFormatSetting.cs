using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>The image format as the MSBuild property (<c>ContainerImageFormat</c>) and the CLI (<c>--format</c>) give it: oci or docker, in any case.</summary>
public static class ImageFormatSetting
{
    /// <summary>The format <paramref name="value"/> names; null when it is empty or unset. <paramref name="settingName"/> is what the user set, for the error.</summary>
    public static ImageFormat? Parse(string? value, string settingName) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "OCI" => ImageFormat.Oci,
        "DOCKER" => ImageFormat.Docker,
        _ => throw new ContainerizeException(ErrorCodes.InvalidProperty, $"{settingName} '{value}' is not known: use OCI or Docker."),
    };
}
