using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// The secret and ssh mounts of one RUN step. Secret files are written to a private (0700)
/// directory and bound read-only into the container; secret environment variables are added to the
/// step's process environment only (never to history, which is derived before); SSH agents are
/// forwarded through a <see cref="SshAgentProxy"/> each. Disposing removes the files and stops the
/// proxies, whatever the outcome of the step. A missing secret or agent skips the mount unless it
/// is <c>required</c>, as in BuildKit. As an ordinary user with a subordinate id range, owners other
/// than the container's root are given inside the user namespace (<see cref="ApplyOwnersAsync"/>).
/// </summary>
internal sealed class StepSecrets(
    SecretStore secrets, IReadOnlyDictionary<string, string> sshAgents, string directory, UserNamespaceFiles? namespaceFiles, IBuildLog log, SourceLocation location)
    : IAsyncDisposable
{
    private const int DefaultSecretMode = 0b100_000_000; // 0400
    private const int DefaultSocketMode = 0b110_000_000; // 0600

    private readonly List<string> _environment = new();
    private readonly List<SshAgentProxy> _proxies = new();
    private readonly List<ContainerFileOwner> _owners = new();
    private string? _sshAuthSock;
    private int _files;

    /// <summary>The secret's mount, or null when it has no file (env only) or is missing and optional.</summary>
    public ContainerMount? Secret(SecretMount mount)
    {
        byte[]? value = secrets.Read(mount.Id, log);
        if (value is null)
        {
            if (mount.Required)
            {
                throw new ContainerizeException(ErrorCodes.SecretRequired,
                    $"RUN --mount=type=secret,id={mount.Id} is required, but the build has no secret '{mount.Id}'. " +
                    $"Give it one: <ContainerSecret Include=\"{mount.Id}\" File=\"path/to/file\" /> or Environment=\"VARIABLE\".", location);
            }
            log.Detail($"RUN --mount=type=secret,id={mount.Id}: the build has no such secret; the mount is skipped (required=false).");
            return null;
        }
        try
        {
            if (mount.Env is { } name) AddEnvironment(mount, name, value);
            if (mount.Target is null) return null;
            string file = Path.Combine(PrivateDirectory(), $"secret-{_files++}");
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
            {
                LibC.Chmod(file, 0b110_000_000); // before the value is in it (the directory is private anyway)
                stream.Write(value);
            }
            SetModeAndOwner(file, mount.Mode, DefaultSecretMode, mount.Uid, mount.Gid);
            return ContainerMount.Bind(file, Absolute(mount.Target), readOnly: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    /// <summary>The agent socket's mount, or null when the agent is missing and the mount optional. <paramref name="index"/> counts the step's ssh mounts.</summary>
    public ContainerMount? Ssh(SshMount mount, int index)
    {
        string? socket = LiveSocket(mount.Id);
        if (socket is null)
        {
            if (mount.Required)
            {
                string remedy = mount.Id == "default"
                    ? "Start an agent (eval $(ssh-agent); ssh-add) so that SSH_AUTH_SOCK is set, or name its socket with <ContainerSsh Include=\"default\" Socket=\"path\" />."
                    : $"Name its socket with <ContainerSsh Include=\"{mount.Id}\" Socket=\"path\" />.";
                throw new ContainerizeException(ErrorCodes.SshAgentRequired,
                    $"RUN --mount=type=ssh,id={mount.Id} is required, but no SSH agent socket '{mount.Id}' is available{Why(mount.Id)}. {remedy}", location);
            }
            log.Detail($"RUN --mount=type=ssh,id={mount.Id}: no SSH agent socket '{mount.Id}'{Why(mount.Id)}; the mount is skipped (required=false).");
            return null;
        }
        string target = Absolute(mount.Target ?? $"/run/buildkit/ssh_agent.{index}");
        var proxy = SshAgentProxy.Start(socket, Path.Combine(PrivateDirectory(), $"ssh-{index}.sock"),
            path => SetModeAndOwner(path, mount.Mode, DefaultSocketMode, mount.Uid, mount.Gid));
        _proxies.Add(proxy);
        _sshAuthSock ??= target;
        return ContainerMount.Bind(proxy.Path, target, readOnly: true);
    }

    /// <summary>The step's environment with the secret variables set (replacing the image's) and SSH_AUTH_SOCK unless already set.</summary>
    public IReadOnlyList<string> Environment(IReadOnlyList<string> environment)
    {
        if (_environment.Count == 0 && _sshAuthSock is null) return environment;
        var names = _environment.Select(EnvironmentEntries.Name).ToHashSet(StringComparer.Ordinal);
        var result = environment.Where(e => !names.Contains(EnvironmentEntries.Name(e))).Concat(_environment).ToList();
        if (_sshAuthSock is not null && !result.Any(e => EnvironmentEntries.Name(e) == "SSH_AUTH_SOCK")) result.Add($"SSH_AUTH_SOCK={_sshAuthSock}");
        return result;
    }

    /// <summary>Rootless: gives the secret files and agent sockets the uid/gid their mounts ask for, inside the user namespace.</summary>
    public async Task ApplyOwnersAsync(CancellationToken ct)
    {
        if (_owners.Count > 0) await namespaceFiles!.ApplyOwnersAsync(directory, _owners, ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies) await proxy.DisposeAsync().ConfigureAwait(false);
        if (Directory.Exists(directory)) IO.ScratchDirectory.DeleteTree(directory);
    }

    private void AddEnvironment(SecretMount mount, string name, byte[] value)
    {
        if (name.Length == 0 || name.Contains('=') || name.Any(char.IsControl))
        {
            throw new ContainerizeException(ErrorCodes.InvalidRunMount, $"RUN --mount=type=secret,id={mount.Id},env={name}: '{name}' is not a valid environment variable name.", location);
        }
        if (Array.IndexOf(value, (byte)0) >= 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                $"The secret '{mount.Id}' contains a NUL byte, so it cannot be the environment variable {name}; mount it as a file instead.", location);
        }
        _environment.Add($"{name}={Encoding.UTF8.GetString(value)}");
    }

    private string PrivateDirectory()
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            LibC.Chmod(directory, 0b111_000_000);
        }
        return directory;
    }

    /// <summary>
    /// Mode as asked; owner as asked. As root the container's ids are the host's. In a user
    /// namespace the file belongs to the building user, the container's root, so the default owner
    /// (0:0) holds; other owners are given by the helper inside the namespace when the mapping has a
    /// subordinate range, and cannot be given with one mapped id.
    /// </summary>
    private void SetModeAndOwner(string path, string? mode, int defaultMode, string? uid, string? gid)
    {
        int permissions = mode is null ? defaultMode : Convert.ToInt32(mode, 8);
        LibC.Chmod(path, permissions);
        long u = long.Parse(uid ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        long g = long.Parse(gid ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (LibC.IsRoot) LibC.Lchown(path, u, g);
        else if (u == 0 && g == 0) return;
        else if (namespaceFiles is { MapsOtherIds: true }) _owners.Add(new ContainerFileOwner(Path.GetRelativePath(directory, path), u, g, permissions));
        else
        {
            log.Warning(ErrorCodes.MountOwnerNotApplied,
                $"uid={u},gid={g} of a secret or ssh mount is not applied: RUN steps have a single mapped id (no /etc/subuid range for this user), so the mount belongs to the container's root.");
        }
    }

    private string? LiveSocket(string id)
    {
        if (!sshAgents.TryGetValue(id, out string? path) || string.IsNullOrEmpty(path)) return null;
        string resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return LibC.TryStatx(resolved)?.Kind == UnixFileKind.Socket ? resolved : null;
    }

    private string Why(string id) => sshAgents.TryGetValue(id, out string? path) && !string.IsNullOrEmpty(path)
        ? $" ({path} is not a socket)"
        : id == "default" ? " (SSH_AUTH_SOCK is not set)" : "";

    /// <summary>BuildKit hands secret and ssh targets to the runtime as written, which resolves a relative one from the root (not WORKDIR).</summary>
    private static string Absolute(string target) => target.StartsWith('/') ? target : "/" + target;
}
