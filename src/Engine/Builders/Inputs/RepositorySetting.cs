using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// Where an image is pushed: a registry and a repository as the MSBuild properties give them
/// (<c>ContainerRegistry</c>, <c>ContainerRepository</c>), or one reference as <c>--push</c> does.
/// </summary>
public static class RepositorySetting
{
    /// <summary>A repository name (<c>my-app</c>, <c>team/app</c>), trimmed.</summary>
    /// <param name="setting">What the user wrote it in, for the message.</param>
    public static string Parse(string text, string setting)
    {
        string repository = text.Trim();
        Reference(repository, setting);
        return repository;
    }

    /// <summary><c>registry/repository</c> as <c>--push</c> takes it (a tag in it is ignored; the tags are pushed); null when unset.</summary>
    public static ImageReference? ParsePushTarget(string? text, string setting) =>
        string.IsNullOrWhiteSpace(text) ? null : Reference(text.Trim(), setting);

    /// <summary>
    /// The repository on the registry <paramref name="registry"/> (host[:port]; the host and port of a URL
    /// are taken); null when no registry is set.
    /// </summary>
    public static ImageReference? PushTarget(string? registry, string repository, string setting)
    {
        if (string.IsNullOrWhiteSpace(registry)) return null;
        string host = registry.Trim().TrimEnd('/');
        if (host.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var url)) host = url.Authority;
        if (!ImageReference.TryParse($"{host}/{repository}", out var target, out _) || target.Registry != host)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"{setting} '{registry}' is not a registry host: use host[:port], such as myregistry.azurecr.io or 127.0.0.1:5000.");
        }
        return target;
    }

    private static ImageReference Reference(string text, string setting) =>
        ImageReference.TryParse(text, out var reference, out string? problem)
            ? reference
            : throw new ContainerizeException(ErrorCodes.InvalidReference, $"{setting} '{text}' is not a valid image reference: {problem}.");
}
