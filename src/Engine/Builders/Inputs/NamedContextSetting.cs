using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// Named contexts for <c>COPY --from=&lt;name&gt;</c> and <c>FROM &lt;name&gt;</c> (<c>ContainerBuildContexts</c>,
/// <c>--build-context NAME=VALUE</c>): a folder, or <c>docker-image://&lt;reference&gt;</c>.
/// </summary>
public static class NamedContextSetting
{
    /// <summary>The value as the request takes it: an image reference kept as given, a folder made full from <paramref name="baseDirectory"/>.</summary>
    /// <param name="setting">What the user wrote it in, for the message.</param>
    public static string Parse(string name, string value, string baseDirectory, string setting)
    {
        if (!IsValidName(name.Trim()))
        {
            throw new ContainerizeException(ErrorCodes.InvalidNamedContext,
                $"{setting} name '{name.Trim()}' is not valid: use a name without spaces or '=', such as 'assets'.");
        }
        string given = value.Trim();
        if (given.Length == 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidNamedContext,
                $"{setting} '{name.Trim()}' has no value: give it a folder or {DockerfileImageBuilder.ImageContextScheme}<reference>.");
        }
        return given.StartsWith(DockerfileImageBuilder.ImageContextScheme, StringComparison.OrdinalIgnoreCase)
            ? given
            : Path.GetFullPath(Path.Combine(baseDirectory, given));
    }

    /// <summary>The contexts by name (a later one of the same name winning), each value read by <see cref="Parse"/>.</summary>
    public static Dictionary<string, string> ParseAll(IEnumerable<KeyValuePair<string, string>> given, string baseDirectory, string setting)
    {
        var contexts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in given) contexts[name.Trim()] = Parse(name, value, baseDirectory, setting);
        return contexts;
    }

    /// <summary>What the planner sees of each context (an image, or a folder by name) and the folders the named ones are.</summary>
    public static (Dictionary<string, StageBase> Plan, Dictionary<string, string> Directories) Resolve(IReadOnlyDictionary<string, string> given)
    {
        var plan = new Dictionary<string, StageBase>(StringComparer.OrdinalIgnoreCase);
        var directories = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in given)
        {
            if (!IsValidName(name))
            {
                throw new ContainerizeException(ErrorCodes.InvalidNamedContext,
                    $"The build context name '{name}' is not valid: use a name without spaces or '=', such as 'assets'.");
            }
            if (value.StartsWith(DockerfileImageBuilder.ImageContextScheme, StringComparison.OrdinalIgnoreCase))
            {
                string reference = value[DockerfileImageBuilder.ImageContextScheme.Length..];
                if (!ImageReference.TryParse(reference, out var parsed, out string? problem))
                {
                    throw new ContainerizeException(ErrorCodes.InvalidNamedContext,
                        $"The build context '{name}' names the image '{reference}', which is not a valid image reference: {problem}.");
                }
                plan[name] = new ImageBase(parsed, null);
                continue;
            }
            string directory = Path.GetFullPath(value);
            if (!Directory.Exists(directory))
            {
                throw new ContainerizeException(ErrorCodes.InvalidNamedContext,
                    $"The build context '{name}' is the folder '{directory}', which does not exist. Point it at an existing folder or at an image with {DockerfileImageBuilder.ImageContextScheme}<reference>.");
            }
            plan[name] = new NamedContextBase(name);
            directories[name] = directory;
        }
        return (plan, directories);
    }

    private static bool IsValidName(string name) => name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || c == '=');
}
