using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>The target platform as <c>ContainerPlatform</c> and <c>--platform</c> give it: <c>os/arch[/variant]</c>, empty for this machine's.</summary>
public static class PlatformSetting
{
    /// <param name="setting">What the user wrote it in, for the message.</param>
    public static Platform Parse(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text)) return Platform.Host;
        try
        {
            return Platform.Parse(text);
        }
        catch (ContainerizeException e)
        {
            throw new ContainerizeException(e.Code, $"{setting} {e.Message}");
        }
    }
}
