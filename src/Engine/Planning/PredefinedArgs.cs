using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// Build args Docker defines without a Dockerfile declaration: the automatic platform args (set in
/// the global scope, visible in a stage after <c>ARG TARGETARCH</c> etc.) and the proxy args.
/// </summary>
public static class PredefinedArgs
{
    public static readonly IReadOnlyList<string> ProxyNames =
    [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ];

    public static readonly IReadOnlyList<string> PlatformNames =
    [
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    ];

    public static bool IsProxy(string name) => ProxyNames.Contains(name, StringComparer.Ordinal);

    public static bool IsPlatform(string name) => PlatformNames.Contains(name, StringComparer.Ordinal);

    /// <summary>The eight platform args, with platforms normalized as containerd does (arm64/v8 → arm64, amd64/v1 → amd64).</summary>
    public static IReadOnlyDictionary<string, string> ForPlatforms(Platform target, Platform build)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(values, "TARGET", target);
        Add(values, "BUILD", build);
        return values;
    }

    private static void Add(Dictionary<string, string> values, string prefix, Platform platform)
    {
        string? variant = NormalizedVariant(platform);
        values[prefix + "PLATFORM"] = variant is null ? $"{platform.Os}/{platform.Architecture}" : $"{platform.Os}/{platform.Architecture}/{variant}";
        values[prefix + "OS"] = platform.Os;
        values[prefix + "ARCH"] = platform.Architecture;
        values[prefix + "VARIANT"] = variant ?? "";
    }

    private static string? NormalizedVariant(Platform platform) => (platform.Architecture, platform.Variant) switch
    {
        ("arm64", "v8") or ("amd64", "v1") or (_, "") => null,
        var (_, variant) => variant,
    };
}
