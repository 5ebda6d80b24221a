using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Registry;

/// <summary>Picks, from the entries of an index (or Docker manifest list), the one that runs on a platform.</summary>
internal static class PlatformSelector
{
    /// <summary>
    /// The entry for <paramref name="wanted"/> among those whose platform is known: an exact
    /// variant match before an entry without a variant. Null when none matches.
    /// </summary>
    public static T? Choose<T>(IEnumerable<T> entries, Func<T, Platform> platformOf, Platform wanted) where T : class
    {
        var candidates = entries.Where(e => wanted.Matches(platformOf(e))).ToList();
        return candidates.FirstOrDefault(e => platformOf(e).Variant == wanted.Variant && platformOf(e).OsVersion is null)
            ?? candidates.FirstOrDefault(e => platformOf(e).Variant == wanted.Variant)
            ?? candidates.FirstOrDefault();
    }

    public static ContainerizeException NoMatch(ImageReference reference, Platform wanted, IEnumerable<Platform> available)
    {
        var names = available.Where(p => p.Os != "unknown").Select(p => p.ToString()).Distinct().ToList();
        return new ContainerizeException(ErrorCodes.NoMatchingPlatform,
            $"The image {reference} has no variant for platform {wanted}. Available platforms: "
            + (names.Count == 0 ? "none" : string.Join(", ", names))
            + ". Choose one of them with ContainerPlatform, or another base image.");
    }
}
