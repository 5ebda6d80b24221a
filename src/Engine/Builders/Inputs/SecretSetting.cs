using Containerize.Engine.Diagnostics;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// Where a secret comes from (<c>ContainerSecret</c> items, <c>--secret</c>), as <c>docker build --secret</c>
/// reads it: a file or an environment variable. Only the source is read here, never the value.
/// </summary>
public static class SecretSetting
{
    /// <summary>
    /// A file (relative to <paramref name="baseDirectory"/>) or an environment variable; with neither, the
    /// environment variable named by the id when it is set, else the file named by the id (as buildx).
    /// </summary>
    /// <param name="setting">What the user wrote it in, for the message.</param>
    public static KeyValuePair<string, BuildSecret> Parse(string id, string? file, string? variable, string baseDirectory, string setting)
    {
        string name = id.Trim();
        string path = file?.Trim() ?? "";
        string environment = variable?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidSecretSource, $"{setting} has a secret without an id: give each secret an id, such as id=npmrc.");
        }
        if (path.Length > 0 && environment.Length > 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                $"{setting} '{name}' has both a file and an environment variable: keep the one the secret comes from.");
        }
        if (path.Length == 0 && environment.Length == 0)
        {
            if (Environment.GetEnvironmentVariable(name) is not null) environment = name;
            else path = name;
        }
        return KeyValuePair.Create(name, environment.Length > 0
            ? BuildSecret.FromEnvironment(environment)
            : BuildSecret.FromFile(Path.GetFullPath(Path.Combine(baseDirectory, path))));
    }

    /// <summary>The secrets by id, a later one of the same id winning.</summary>
    public static Dictionary<string, BuildSecret> ById(IEnumerable<KeyValuePair<string, BuildSecret>> secrets)
    {
        var byId = new Dictionary<string, BuildSecret>(StringComparer.Ordinal);
        foreach (var (id, secret) in secrets) byId[id] = secret;
        return byId;
    }

    /// <summary><c>id=ID[,src=PATH|,env=VARIABLE]</c>, as <c>docker build --secret</c> takes it (<c>source</c> for <c>src</c>, <c>type</c> ignored).</summary>
    public static KeyValuePair<string, BuildSecret> ParseCommandLine(string text, string baseDirectory, string setting)
    {
        string? id = null, file = null, variable = null;
        foreach (string field in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = field.IndexOf('=');
            string key = equals < 0 ? field : field[..equals].ToLowerInvariant();
            string value = equals < 0 ? "" : field[(equals + 1)..];
            switch (key)
            {
                case "id": id = value; break;
                case "src" or "source": file = value; break;
                case "env": variable = value; break;
                case "type": break;
                default:
                    throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                        $"{setting} '{text}' has the unknown field '{field}': use id=ID with src=PATH or env=VARIABLE.");
            }
        }
        return Parse(id ?? "", file, variable, baseDirectory, setting);
    }
}
