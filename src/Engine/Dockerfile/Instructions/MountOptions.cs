using System.Globalization;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>Typed reads of one <c>--mount</c>'s options; values holding <c>$</c> are checked after expansion.</summary>
internal sealed class MountOptions(Dictionary<string, string> options, string spec)
{
    public string? Get(string key) => options.GetValueOrDefault(key);

    public bool IsTrue(string key) => options.GetValueOrDefault(key) == "true";

    public string Target(string type) => Get("target") is { Length: > 0 } target
        ? target
        : throw InstructionException.Mount($"--mount={spec}: a {type} mount needs target=<path in the container>");

    public CacheSharing Sharing() => Get("sharing")?.ToLowerInvariant() switch
    {
        null or "shared" => CacheSharing.Shared,
        "private" => CacheSharing.Private,
        "locked" => CacheSharing.Locked,
        var other => throw InstructionException.Mount($"unrecognized sharing parameter '{other}': use shared, private or locked"),
    };

    public string? Mode() => Checked("mode", 8);

    public string? Number(string key) => Checked(key, 10);

    private string? Checked(string key, int radix)
    {
        string? value = Get(key);
        if (value is null || value.Contains('$')) return value;
        bool valid = radix == 8
            ? value.Length > 0 && value.All(c => c is >= '0' and <= '7') && value.Length <= 11
            : uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        return valid ? value : throw InstructionException.Mount($"--mount option {key}={value} is not a valid {(radix == 8 ? "octal mode" : "number")}");
    }
}
