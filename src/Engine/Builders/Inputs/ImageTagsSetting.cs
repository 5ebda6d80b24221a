using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>The tags an image is pushed and archived with (<c>ContainerImageTags</c>, <c>ContainerImageTag</c>, <c>--tag</c>).</summary>
public static class ImageTagsSetting
{
    /// <summary>The tags given, trimmed, empty ones dropped, each once; every one a valid tag.</summary>
    /// <param name="setting">What the user wrote them in, for the message.</param>
    public static IReadOnlyList<string> Parse(IEnumerable<string> values, string setting)
    {
        var tags = values.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        foreach (string tag in tags)
        {
            if (!ImageReference.IsValidTag(tag))
            {
                throw new ContainerizeException(ErrorCodes.InvalidReference,
                    $"{setting} '{tag}' is not a valid tag: use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.");
            }
        }
        return tags;
    }
}
