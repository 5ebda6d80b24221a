using System.Collections.Concurrent;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Registry;

/// <summary>
/// Finds the credentials for a registry; the first source that has some wins:
/// the SDK's environment variables (any registry), the Docker config
/// (<c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>: credHelpers, auths, credsStore),
/// then podman's auth.json (<c>$REGISTRY_AUTH_FILE</c>, else <c>$XDG_RUNTIME_DIR/containers/auth.json</c>
/// and <c>~/.config/containers/auth.json</c>). Results are cached per registry.
/// </summary>
internal sealed class CredentialResolver
{
    private static readonly (string User, string Password)[] EnvironmentVariables =
    [
        ("DOTNET_CONTAINER_REGISTRY_UNAME", "DOTNET_CONTAINER_REGISTRY_PWORD"),
        ("SDK_CONTAINER_REGISTRY_UNAME", "SDK_CONTAINER_REGISTRY_PWORD"),
    ];

    private readonly Func<string, string?> _env;
    private readonly string? _home;
    private readonly IBuildLog _log;
    private readonly CredentialHelper _helper;
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredentials?>>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public CredentialResolver(Func<string, string?> getEnvironmentVariable, string? homeDirectory, IBuildLog log)
    {
        _env = getEnvironmentVariable;
        _home = homeDirectory;
        _log = log;
        _helper = new CredentialHelper(getEnvironmentVariable, homeDirectory);
    }

    /// <summary>The credentials for <paramref name="registry"/> (as in <c>ImageReference.Registry</c>), or null for anonymous access.</summary>
    public Task<RegistryCredentials?> ResolveAsync(string registry, CancellationToken cancellationToken) =>
        _cache.GetOrAdd(RegistryHost.NormalizeCredentialKey(registry),
            key => new Lazy<Task<RegistryCredentials?>>(() => FindAsync(key, cancellationToken))).Value;


    private async Task<RegistryCredentials?> FindAsync(string registry, CancellationToken cancellationToken)
    {
        foreach (var (userVariable, passwordVariable) in EnvironmentVariables)
        {
            if (_env(userVariable) is { Length: > 0 } user && _env(passwordVariable) is { } password)
            {
                return new RegistryCredentials(user, password, null, $"environment variables {userVariable}/{passwordVariable}");
            }
        }
        if (DockerConfigPath() is { } dockerConfig && DockerConfigFile.TryLoad(dockerConfig, Warn) is { } docker
            && await FromDockerConfigAsync(docker, registry, cancellationToken).ConfigureAwait(false) is { } fromDocker)
        {
            return fromDocker;
        }
        foreach (string path in PodmanAuthPaths())
        {
            if (DockerConfigFile.TryLoad(path, Warn) is { } podman
                && await FromDockerConfigAsync(podman, registry, cancellationToken).ConfigureAwait(false) is { } fromPodman)
            {
                return fromPodman;
            }
        }
        return null;
    }

    private async Task<RegistryCredentials?> FromDockerConfigAsync(DockerConfigFile file, string registry, CancellationToken cancellationToken)
    {
        string serverUrl = RegistryHost.CredentialHelperServerUrl(registry);
        if (file.CredentialHelperFor(registry) is { } helper)
        {
            if (await _helper.GetAsync(helper, serverUrl, cancellationToken).ConfigureAwait(false) is { } fromHelper) return fromHelper;
        }
        if (file.AuthFor(registry) is { } auth) return auth;
        if (file.CredsStore is { } store)
        {
            if (_helper.Find(store) is null)
            {
                // A config written by Docker Desktop names a store that CI machines lack: anonymous access may still work.
                Warn($"The credential store 'docker-credential-{store}' named in '{file.Path}' is not on PATH; continuing without it.");
                return null;
            }
            return await _helper.GetAsync(store, serverUrl, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private string? DockerConfigPath()
    {
        if (_env("DOCKER_CONFIG") is { Length: > 0 } dir) return Path.Combine(dir, "config.json");
        return _home is null ? null : Path.Combine(_home, ".docker", "config.json");
    }

    private IEnumerable<string> PodmanAuthPaths()
    {
        if (_env("REGISTRY_AUTH_FILE") is { Length: > 0 } file)
        {
            yield return file;
            yield break;
        }
        if (_env("XDG_RUNTIME_DIR") is { Length: > 0 } runtime) yield return Path.Combine(runtime, "containers", "auth.json");
        if (_env("XDG_CONFIG_HOME") is { Length: > 0 } config) yield return Path.Combine(config, "containers", "auth.json");
        else if (_home is not null) yield return Path.Combine(_home, ".config", "containers", "auth.json");
    }

    private void Warn(string message) => _log.Detail(message);
}
