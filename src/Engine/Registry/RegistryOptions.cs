using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Registry;

/// <summary>
/// How a <see cref="RegistrySession"/> reaches registries.
/// </summary>
/// <remarks>
/// Transport security: a registry listed in <see cref="InsecureRegistries"/> (or in
/// <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c>) is tried over HTTPS without certificate checks,
/// then over plain HTTP. A loopback registry (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>[::1]</c>)
/// is tried over plain HTTP first, because local test registries rarely have a certificate, and
/// over HTTPS without certificate checks when it answers like a TLS server. Every other registry
/// is HTTPS only, with certificate validation.
/// </remarks>
public sealed record RegistryOptions
{
    public const string InsecureRegistriesEnvironmentVariable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    /// <summary><c>host[:port]</c> of registries allowed over plain HTTP or with an untrusted certificate.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>Every environment read goes through here: an MSBuild node's process environment is not the build's.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The user's home, for <c>~/.docker/config.json</c>; defaults to <c>$HOME</c>.</summary>
    public string? HomeDirectory { get; init; }

    public int MaxParallelTransfers { get; init; } = 4;

    /// <summary>0 uploads each blob in one request; above 0, blobs larger than this go up in chunks of this size.</summary>
    public long ChunkSize { get; init; } = 0;

    public IBuildLog Log { get; init; } = NullBuildLog.Instance;

    /// <summary>Replaces the HTTP stack; for tests.</summary>
    public HttpMessageHandler? Handler { get; init; }

    public int MaxRetries { get; init; } = 4;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A transfer that receives no byte for this long is broken off and retried; null: the
    /// <c>CONTAINERIZE_NETWORK_IDLE_TIMEOUT</c> environment variable (seconds), else 60 s.
    /// </summary>
    public TimeSpan? NetworkIdleTimeout { get; init; }

    internal TimeSpan ResolveIdleTimeout() =>
        NetworkIdleTimeout ?? IO.NetworkIdleTimeout.Parse(GetEnvironmentVariable(IO.NetworkIdleTimeout.EnvironmentVariable), IO.NetworkIdleTimeout.EnvironmentVariable)
        ?? IO.NetworkIdleTimeout.Default;

    internal string? ResolveHomeDirectory() =>
        HomeDirectory is { Length: > 0 } home ? home : GetEnvironmentVariable("HOME") is { Length: > 0 } env ? env : null;
}
