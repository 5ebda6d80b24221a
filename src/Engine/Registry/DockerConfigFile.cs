using System.Text;
using System.Text.Json;

namespace Containerize.Engine.Registry;

/// <summary>
/// The credential parts of a Docker <c>config.json</c> or a podman <c>auth.json</c> (same format):
/// <c>auths</c>, <c>credHelpers</c> and <c>credsStore</c>. Keys are normalized with
/// <see cref="RegistryHost.NormalizeCredentialKey"/>.
/// </summary>
internal sealed class DockerConfigFile
{
    private readonly Dictionary<string, RegistryCredentials> _auths = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _credHelpers = new(StringComparer.OrdinalIgnoreCase);

    private DockerConfigFile(string path) => Path = path;

    public string Path { get; }

    public string? CredsStore { get; private set; }

    public string? CredentialHelperFor(string registry) => _credHelpers.GetValueOrDefault(registry);

    public RegistryCredentials? AuthFor(string registry) => _auths.GetValueOrDefault(registry);

    /// <summary>Reads the file; null when it does not exist. Unreadable files are reported as a warning and skipped.</summary>
    public static DockerConfigFile? TryLoad(string path, Action<string> warn)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return Read(path, doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException)
        {
            warn($"The credential file '{path}' cannot be read and is ignored: {e.Message}");
            return null;
        }
    }

    private static DockerConfigFile Read(string path, JsonElement root)
    {
        var file = new DockerConfigFile(path);
        if (root.ValueKind != JsonValueKind.Object) return file;
        if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } s)
        {
            file.CredsStore = s;
        }
        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
        {
            foreach (var helper in helpers.EnumerateObject())
            {
                if (helper.Value.ValueKind == JsonValueKind.String && helper.Value.GetString() is { Length: > 0 } name)
                {
                    file._credHelpers[RegistryHost.NormalizeCredentialKey(helper.Name)] = name;
                }
            }
        }
        if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                if (ReadEntry(entry.Value, $"'{path}'") is { } credentials)
                {
                    // an exact key wins over a namespace-scoped podman key of the same registry
                    string key = RegistryHost.NormalizeCredentialKey(entry.Name);
                    if (!file._auths.ContainsKey(key) || !entry.Name.Contains('/')) file._auths[key] = credentials;
                }
            }
        }
        return file;
    }

    private static RegistryCredentials? ReadEntry(JsonElement entry, string source)
    {
        if (entry.ValueKind != JsonValueKind.Object) return null;
        string? identityToken = GetString(entry, "identitytoken");
        string? username = GetString(entry, "username");
        string? password = GetString(entry, "password");
        if (GetString(entry, "auth") is { Length: > 0 } auth)
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Trim()));
            int colon = decoded.IndexOf(':');
            if (colon > 0)
            {
                username = decoded[..colon];
                password = decoded[(colon + 1)..];
            }
        }
        if (!string.IsNullOrEmpty(identityToken)) return new RegistryCredentials(username, null, identityToken, source);
        if (!string.IsNullOrEmpty(username) && password is not null) return new RegistryCredentials(username, password, null, source);
        return null;
    }

    private static string? GetString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
