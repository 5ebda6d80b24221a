using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Oci;

/// <summary>
/// A normalized image reference, as Docker reads one: <c>ubuntu</c> is
/// <c>docker.io/library/ubuntu:latest</c>; a registry host, port, tag and digest may all appear.
/// </summary>
public sealed record ImageReference
{
    public const string DockerHub = "docker.io";

    public required string Registry { get; init; }

    /// <summary>The repository path inside the registry, e.g. <c>library/ubuntu</c>.</summary>
    public required string Repository { get; init; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary>The host that serves the registry API: Docker Hub's API lives on another host than its name.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>What to ask the registry for: the digest when pinned, otherwise the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    /// <summary>Parses and normalizes, adding <c>latest</c> when neither tag nor digest is given.</summary>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out string? problem)
            ? reference
            : throw new ContainerizeException(ErrorCodes.InvalidReference, $"'{text}' is not a valid image reference: {problem}.");

    /// <summary>Parses and normalizes like Docker's ParseNormalizedNamed, adding <c>latest</c> when neither tag nor digest is given.</summary>
    public static bool TryParse(string? text, out ImageReference reference, out string? problem)
    {
        if (!TryParseNormalizedNamed(text, out reference, out problem)) return false;
        if (reference.Tag is null && reference.Digest is null) reference = reference with { Tag = "latest" };
        return true;
    }

    /// <summary>Docker's ParseNormalizedNamed: normalized, but no tag is added.</summary>
    public static ImageReference ParseNormalizedNamed(string text) =>
        TryParseNormalizedNamed(text, out var reference, out string? problem)
            ? reference
            : throw new ContainerizeException(ErrorCodes.InvalidReference, $"'{text}' is not a valid image reference: {problem}.");

    /// <summary>
    /// Docker's ParseDockerRef, the form to resolve: normalized, <c>latest</c> added when neither
    /// tag nor digest is given, and the tag dropped when a digest pins the image.
    /// </summary>
    public static ImageReference ParseDockerRef(string text)
    {
        var reference = Parse(text);
        return reference.Digest is null ? reference : reference with { Tag = null };
    }

    public static bool TryParseNormalizedNamed(string? text, out ImageReference reference, out string? problem)
    {
        reference = null!;
        if (text is not null && ReferenceGrammar.AnchoredIdentifier().IsMatch(text))
        {
            problem = "a 64-hex string is an image ID, not a repository name";
            return false;
        }
        if (!RawReference.TryParse(text, out var raw, out problem)) return false;

        SplitDomain(raw.Name, out string domain, out string path);
        if (path.Any(char.IsUpper))
        {
            problem = "repository name must be lowercase";
            return false;
        }
        if (path.Length > ReferenceGrammar.MaxNameLength)
        {
            problem = $"repository name must not be more than {ReferenceGrammar.MaxNameLength} characters";
            return false;
        }
        reference = new ImageReference
        {
            Registry = domain,
            Repository = path,
            Tag = raw.Tag,
            Digest = raw.Digest is null ? null : Oci.Digest.Parse(raw.Digest),
        };
        return true;
    }

    private static void SplitDomain(string name, out string domain, out string path)
    {
        int slash = name.IndexOf('/');
        string first = slash < 0 ? "" : name[..slash];
        if (slash < 0 || (first.IndexOfAny(['.', ':']) < 0 && first != "localhost" && first.ToLowerInvariant() == first))
        {
            domain = DockerHub;
            path = name;
        }
        else
        {
            domain = first;
            path = name[(slash + 1)..];
        }
        if (domain == "index.docker.io") domain = DockerHub;
        if (domain == DockerHub && !path.Contains('/')) path = "library/" + path;
    }

    /// <summary>The same repository with another tag (and no digest).</summary>
    public ImageReference WithTag(string tag)
    {
        EnsureValidTag(tag);
        return this with { Tag = tag, Digest = null };
    }

    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    public static bool IsValidTag(string tag) => ReferenceGrammar.AnchoredTag().IsMatch(tag);

    /// <summary>Refuses a tag the reference grammar does not allow, saying what a tag may hold.</summary>
    public static void EnsureValidTag(string tag)
    {
        if (!IsValidTag(tag))
        {
            throw new ContainerizeException(ErrorCodes.InvalidReference,
                $"'{tag}' is not a valid tag: use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.");
        }
    }

    /// <summary>The repository with its registry, without tag or digest: <c>docker.io/library/ubuntu</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The full name: <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() => Name + TagAndDigest;

    /// <summary>The short repository name Docker prints (<c>ubuntu</c> for Docker Hub's library images).</summary>
    public string ToFamiliarName() => Registry == DockerHub
        ? (Repository.StartsWith("library/", StringComparison.Ordinal) && Repository.IndexOf('/', 8) < 0 ? Repository[8..] : Repository)
        : Name;

    /// <summary>The short reference Docker prints (<c>ubuntu:latest</c> for Docker Hub's library images).</summary>
    public string ToFamiliarString() => ToFamiliarName() + TagAndDigest;

    private string TagAndDigest => $"{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";
}
