using Containerize.Engine.Errors;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>Picks the manifest of an index (or Docker manifest list) that runs on a platform.</summary>
internal static class PlatformSelector
{
    /// <summary>
    /// The entry for <paramref name="wanted"/>: an exact variant match before an entry without a
    /// variant; entries that are not image manifests (attestations, unknown/unknown) never match.
    /// </summary>
    public static Descriptor Select(ImageIndex index, Platform wanted, ImageReference reference)
    {
        var candidates = index.Manifests
            .Where(m => m.Platform is not null && MediaTypes.IsManifest(m.MediaType) && wanted.Matches(m.Platform))
            .ToList();
        var exact = candidates.FirstOrDefault(m => m.Platform!.Variant == wanted.Variant && m.Platform.OsVersion is null)
            ?? candidates.FirstOrDefault(m => m.Platform!.Variant == wanted.Variant);
        if ((exact ?? candidates.FirstOrDefault()) is { } chosen) return chosen;

        var available = index.Manifests
            .Where(m => m.Platform is { } p && p.Os != "unknown")
            .Select(m => m.Platform!.ToString())
            .Distinct()
            .ToList();
        throw new ContainerizeException(ErrorCodes.NoMatchingPlatform,
            $"The image {reference} has no variant for platform {wanted}. Available platforms: "
            + (available.Count == 0 ? "none" : string.Join(", ", available))
            + ". Choose one of them with ContainerPlatform, or another base image.");
    }
}
