using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Oci;

/// <summary>An image platform, <c>os/architecture[/variant]</c>, as in an index entry.</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("os")] public required string Os { get; init; }
    [JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OsVersion { get; init; }
    [JsonPropertyName("os.features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? OsFeatures { get; init; }
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; init; }

    /// <summary>linux and the architecture of the running process, in Go's names.</summary>
    public static Platform Host => new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        },
        Variant = RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "v8" : null,
    };

    /// <summary>Parses <c>os/arch[/variant]</c> (e.g. <c>linux/amd64</c>, <c>linux/arm64/v8</c>).</summary>
    public static Platform Parse(string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"'{text}' is not a valid platform: expected os/architecture[/variant], for example linux/amd64 or linux/arm64/v8.");
        }
        return new Platform
        {
            Os = parts[0].ToLowerInvariant(),
            Architecture = NormalizeArchitecture(parts[1].ToLowerInvariant()),
            Variant = parts.Length == 3 ? parts[2].ToLowerInvariant() : null,
        };
    }

    /// <summary>Whether an image of platform <paramref name="candidate"/> runs where this platform is asked for.</summary>
    public bool Matches(Platform candidate)
    {
        if (candidate.Os != Os || NormalizeArchitecture(candidate.Architecture) != Architecture) return false;
        if (Variant is null || candidate.Variant is null) return true;
        return Variant == candidate.Variant;
    }

    private static string NormalizeArchitecture(string arch) => arch switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        _ => arch,
    };

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
