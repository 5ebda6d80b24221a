namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// A <c>RUN --mount</c>. Option values stay raw (they may hold <c>$VAR</c>); literal numbers and
/// enumerations are validated at parse time.
/// </summary>
public abstract record RunMount(string? Target);

/// <summary>
/// <c>type=bind</c>: a path of the context or of <c>from</c> (stage/image), read-only unless
/// <c>rw</c>. Real Dockerfiles (moby's own) omit the target, so it is optional here.
/// </summary>
public sealed record BindMount(string? Target, string? From, string? Source, bool ReadWrite) : RunMount(Target);

/// <summary><c>type=cache</c>: a persistent directory keyed by <see cref="Id"/> (default: the target).</summary>
public sealed record CacheMount(
    string Target, string Id, CacheSharing Sharing, string? From, string? Source, bool ReadOnly,
    string? Mode, string? Uid, string? Gid) : RunMount(Target);

public enum CacheSharing { Shared, Private, Locked }

/// <summary><c>type=tmpfs</c>, with an optional size as written.</summary>
public sealed record TmpfsMount(string Target, string? Size) : RunMount(Target);

/// <summary><c>type=secret</c>: a file (default <c>/run/secrets/&lt;id&gt;</c>) and/or an environment variable.</summary>
public sealed record SecretMount(
    string Id, string? Target, string? Env, bool Required, string? Mode, string? Uid, string? Gid) : RunMount(Target);

/// <summary><c>type=ssh</c>: the SSH agent socket <see cref="Id"/> (default <c>default</c>); a null target is <c>/run/buildkit/ssh_agent.&lt;n&gt;</c>, n counting the step's ssh mounts.</summary>
public sealed record SshMount(
    string Id, string? Target, bool Required, string? Mode, string? Uid, string? Gid) : RunMount(Target);
