using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Steps;

/// <summary>
/// The build's secrets by id. Sources are checked when the build starts (a named file must exist and
/// be at most <see cref="MaxSize"/> bytes, as BuildKit's file store requires); values are read only
/// when a step mounts them. Messages name ids and sources, never values.
/// </summary>
internal sealed class SecretStore
{
    /// <summary>BuildKit's limit for one secret (500 KB).</summary>
    public const long MaxSize = 500 * 1024;

    private readonly Dictionary<string, BuildSecret> _secrets;

    private SecretStore(Dictionary<string, BuildSecret> secrets) => _secrets = secrets;

    public static SecretStore Create(IReadOnlyDictionary<string, BuildSecret> secrets)
    {
        var checkedSecrets = new Dictionary<string, BuildSecret>(StringComparer.Ordinal);
        foreach (var (id, secret) in secrets)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Any(char.IsControl))
            {
                throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                    $"The secret id '{id}' is not valid: give each ContainerSecret item a name such as npm_token.");
            }
            if (secret.FilePath is { } file)
            {
                string path = Path.GetFullPath(file);
                CheckFile(id, path);
                checkedSecrets[id] = BuildSecret.FromFile(path);
            }
            else checkedSecrets[id] = secret;
        }
        return new SecretStore(checkedSecrets);
    }

    /// <summary>The secret's bytes; null when the build has no secret of that id or its environment variable is not set.</summary>
    public byte[]? Read(string id, IBuildLog log)
    {
        if (!_secrets.TryGetValue(id, out var secret)) return null;
        if (secret.FilePath is { } path)
        {
            CheckFile(id, path);
            try { return File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ContainerizeException(ErrorCodes.InvalidSecretSource, $"The secret '{id}' cannot be read from {path}: {e.Message}");
            }
        }
        string? value = Environment.GetEnvironmentVariable(secret.EnvironmentVariable!);
        if (value is null)
        {
            log.Warning(ErrorCodes.SecretVariableNotSet,
                $"The secret '{id}' comes from the environment variable {secret.EnvironmentVariable}, which is not set: it is treated as missing.");
            return null;
        }
        return System.Text.Encoding.UTF8.GetBytes(value);
    }

    private static void CheckFile(string id, string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                $"The secret '{id}' names the file {path}, which does not exist. Point its File metadata at an existing file, or use Environment=\"VARIABLE\".");
        }
        if (file.Length > MaxSize)
        {
            throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                $"The secret '{id}' ({path}) is {file.Length} bytes; a secret may have at most {MaxSize} bytes.");
        }
    }
}
