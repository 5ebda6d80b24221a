using System.Text.RegularExpressions;
using Containerize.Engine.Errors;

namespace Containerize.Engine.Oci;

/// <summary>
/// A normalized image reference, as Docker reads one: <c>ubuntu</c> is
/// <c>docker.io/library/ubuntu:latest</c>; a registry host, port, tag and digest may all appear.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";
    private const int MaxNameLength = 255;

    public required string Registry { get; init; }

    /// <summary>The repository path inside the registry, e.g. <c>library/ubuntu</c>.</summary>
    public required string Repository { get; init; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary>The host that serves the registry API: Docker Hub's API lives on another host than its name.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>What to ask the registry for: the digest when pinned, otherwise the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out string? problem)
            ? reference
            : throw new ContainerizeException(ErrorCodes.InvalidReference, $"'{text}' is not a valid image reference: {problem}.");

    /// <summary>Parses and normalizes like Docker's ParseNormalizedNamed, adding <c>latest</c> when neither tag nor digest is given.</summary>
    public static bool TryParse(string? text, out ImageReference reference, out string? problem)
    {
        reference = null!;
        if (!TryParseParts(text, out string? name, out string? tag, out Digest? digest, out problem)) return false;

        SplitDomain(name!, out string domain, out string path);
        if (path.Any(char.IsUpper))
        {
            problem = "repository name must be lowercase";
            return false;
        }
        reference = new ImageReference
        {
            Registry = domain,
            Repository = path,
            Tag = tag ?? (digest is null ? "latest" : null),
            Digest = digest,
        };
        return true;
    }

    /// <summary>Splits without normalizing: name (with its domain, if any), tag and digest, checked against the grammar.</summary>
    internal static bool TryParseParts(string? text, out string? name, out string? tag, out Digest? digest, out string? problem)
    {
        name = tag = null;
        digest = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "the reference is empty";
            return false;
        }
        var match = ReferencePattern().Match(text);
        if (!match.Success)
        {
            problem = text.Any(char.IsUpper) && ReferencePattern().IsMatch(text.ToLowerInvariant())
                ? "repository name must be lowercase"
                : "expected [registry[:port]/]repository[:tag][@digest] with a lowercase repository";
            return false;
        }
        name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            problem = $"repository name must not be longer than {MaxNameLength} characters";
            return false;
        }
        if (match.Groups["tag"].Success) tag = match.Groups["tag"].Value;
        if (match.Groups["digest"].Success)
        {
            if (!Oci.Digest.TryParse(match.Groups["digest"].Value, out var d))
            {
                problem = "the digest is not a valid sha256 or sha512 digest";
                return false;
            }
            digest = d;
        }
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
        if (!TagPattern().IsMatch(tag))
        {
            throw new ContainerizeException(ErrorCodes.InvalidReference,
                $"'{tag}' is not a valid tag: use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.");
        }
        return this with { Tag = tag, Digest = null };
    }

    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>The full name: <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";

    /// <summary>The short name Docker prints (<c>ubuntu:latest</c> for Docker Hub's library images).</summary>
    public string ToFamiliarString()
    {
        string name = Registry == DockerHub
            ? (Repository.StartsWith("library/", StringComparison.Ordinal) && Repository.IndexOf('/', 8) < 0 ? Repository[8..] : Repository)
            : $"{Registry}/{Repository}";
        return $"{name}{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";
    }

    private const string Alnum = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|-+)";
    private const string PathComponent = Alnum + "(?:" + Separator + Alnum + ")*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Ipv6 = @"\[(?:[a-fA-F0-9:]+)\]";
    private const string DomainName = DomainComponent + @"(?:\." + DomainComponent + ")*";
    private const string Domain = "(?:" + DomainName + "|" + Ipv6 + ")(?::[0-9]+)?";
    private const string TagText = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestText = @"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private const string Name = "(?:" + Domain + "/)?" + PathComponent + "(?:/" + PathComponent + ")*";

    [GeneratedRegex("^(?<name>" + Name + ")(?::(?<tag>" + TagText + "))?(?:@(?<digest>" + DigestText + "))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^" + TagText + "$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
