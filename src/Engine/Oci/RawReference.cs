using System.Text.Json;
using System.Text.Json.Serialization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Oci;

/// <summary>
/// A reference exactly as written, checked against the grammar but not normalized (distribution's
/// <c>Parse</c>): <c>ubuntu</c> stays <c>ubuntu</c> and <c>test.com:5000</c> is repository
/// <c>test.com</c> with tag <c>5000</c>. Use <see cref="ImageReference"/> to talk to a registry.
/// </summary>
[JsonConverter(typeof(RawReferenceJsonConverter))]
public sealed record RawReference
{
    /// <summary>The repository name including its domain, if one was written.</summary>
    public required string Name { get; init; }

    /// <summary>The part of <see cref="Name"/> before the first slash when it reads as a host, else empty.</summary>
    public required string Domain { get; init; }

    public required string Path { get; init; }

    public string? Tag { get; init; }

    /// <summary>The digest as written; <see cref="Parse"/> checks it is a supported digest, <see cref="WithDigest"/> only its form.</summary>
    public string? Digest { get; init; }

    public static RawReference Parse(string text) =>
        TryParse(text, out var reference, out string? problem)
            ? reference
            : throw new ContainerizeException(ErrorCodes.InvalidReference, $"'{text}' is not a valid image reference: {problem}.");

    public static bool TryParse(string? text, out RawReference reference, out string? problem)
    {
        reference = null!;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "repository name must have at least one component";
            return false;
        }
        var match = ReferenceGrammar.AnchoredReference().Match(text);
        if (!match.Success)
        {
            problem = ReferenceGrammar.AnchoredReference().IsMatch(text.ToLowerInvariant())
                ? "repository name must be lowercase"
                : "invalid reference format: expected [registry[:port]/]repository[:tag][@digest]";
            return false;
        }
        string name = match.Groups["name"].Value;
        if (match.Groups["path"].Length > ReferenceGrammar.MaxNameLength)
        {
            problem = $"repository name must not be more than {ReferenceGrammar.MaxNameLength} characters";
            return false;
        }
        string? digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (digest is not null && !Oci.Digest.TryParse(digest, out _))
        {
            problem = digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.StartsWith("sha512:", StringComparison.Ordinal)
                ? "invalid checksum digest length or format"
                : "unsupported digest algorithm (sha256 and sha512 are supported)";
            return false;
        }
        reference = new RawReference
        {
            Name = name,
            Domain = match.Groups["domain"].Value,
            Path = match.Groups["path"].Value,
            Tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            Digest = digest,
        };
        return true;
    }

    /// <summary>A bare repository name: a tag or digest is refused (distribution's <c>WithName</c>).</summary>
    public static RawReference ParseName(string name)
    {
        var match = ReferenceGrammar.AnchoredName().Match(name);
        if (!match.Success)
        {
            throw new ContainerizeException(ErrorCodes.InvalidReference,
                $"'{name}' is not a valid repository name: expected [registry[:port]/]path with lowercase path components.");
        }
        if (match.Groups["path"].Length > ReferenceGrammar.MaxNameLength)
        {
            throw new ContainerizeException(ErrorCodes.InvalidReference,
                $"'{name}' is not a valid repository name: its path must not be more than {ReferenceGrammar.MaxNameLength} characters.");
        }
        return new RawReference { Name = name, Domain = match.Groups["domain"].Value, Path = match.Groups["path"].Value };
    }

    /// <summary>The same reference with this tag; a digest is kept.</summary>
    public RawReference WithTag(string tag)
    {
        ImageReference.EnsureValidTag(tag);
        return this with { Tag = tag };
    }

    /// <summary>The same reference with this digest; a tag is kept. Only the digest's form is checked.</summary>
    public RawReference WithDigest(string digest) =>
        ReferenceGrammar.AnchoredDigest().IsMatch(digest)
            ? this with { Digest = digest }
            : throw new ContainerizeException(ErrorCodes.InvalidDigest, $"'{digest}' is not a valid digest: expected algorithm:hex.");

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}

internal sealed class RawReferenceJsonConverter : JsonConverter<RawReference>
{
    public override RawReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.GetString();
        return RawReference.TryParse(text, out var reference, out string? problem)
            ? reference
            : throw new JsonException($"invalid image reference '{text}': {problem}");
    }

    public override void Write(Utf8JsonWriter writer, RawReference value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
