using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Oci;

/// <summary>A content digest, <c>algorithm:hex</c>. sha256 is produced; sha512 is accepted.</summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    public static Digest Parse(string text) =>
        TryParse(text, out var digest)
            ? digest
            : throw new ContainerizeException(ErrorCodes.InvalidDigest,
                $"'{text}' is not a valid digest: expected sha256:<64 lowercase hex digits> or sha512:<128 lowercase hex digits>.");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null) return false;
        int colon = text.IndexOf(':');
        if (colon <= 0) return false;
        string algorithm = text[..colon];
        string hex = text[(colon + 1)..];
        int expected = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expected < 0 || hex.Length != expected) return false;
        foreach (char c in hex)
        {
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        digest = new Digest(algorithm, hex);
        return true;
    }

    public static Digest FromHash(string algorithm, byte[] hash) =>
        new(algorithm, Convert.ToHexString(hash).ToLowerInvariant());

    public static Digest Sha256(ReadOnlySpan<byte> content) => FromHash("sha256", SHA256.HashData(content));

    public static Digest Sha256(Stream content) => FromHash("sha256", SHA256.HashData(content));

    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(
        Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    public override string ToString() => $"{Algorithm}:{Hex}";
}

internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Digest.TryParse(reader.GetString(), out var d) ? d : throw new JsonException($"invalid digest '{reader.GetString()}'");

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
