using Containerize.Engine.Diagnostics;
using Containerize.Engine.Steps;
using Microsoft.Build.Framework;

namespace Containerize.Tasks;

/// <summary>
/// ContainerSecret and ContainerSsh items to the engine's secrets and SSH agents, as
/// <c>docker build --secret</c> and <c>--ssh</c> read them. Values are never read here: only
/// where they come from.
/// </summary>
public sealed partial class BuildContainerImage
{
    private const string SshAuthSock = "SSH_AUTH_SOCK";

    /// <summary>
    /// <c>File</c> (relative to the project) or <c>Environment</c>; with neither, the environment
    /// variable named by the id when it is set, else the file named by the id (as buildx).
    /// </summary>
    private Dictionary<string, BuildSecret> CreateSecrets()
    {
        var secrets = new Dictionary<string, BuildSecret>(StringComparer.Ordinal);
        foreach (var item in Secrets)
        {
            string id = item.ItemSpec.Trim();
            string file = item.GetMetadata("File").Trim();
            string variable = item.GetMetadata("Environment").Trim();
            if (file.Length > 0 && variable.Length > 0)
            {
                throw new ContainerizeException(ErrorCodes.InvalidSecretSource,
                    $"The ContainerSecret item '{id}' has both File and Environment: keep the one the secret comes from.");
            }
            if (file.Length == 0 && variable.Length == 0)
            {
                if (Environment.GetEnvironmentVariable(id) is not null) variable = id;
                else file = id;
            }
            secrets[id] = variable.Length > 0 ? BuildSecret.FromEnvironment(variable) : BuildSecret.FromFile(FromProject(file));
        }
        return secrets;
    }

    /// <summary><c>Socket</c> (an SSH agent's socket) or, without it, <c>$SSH_AUTH_SOCK</c>; <c>default</c> is <c>$SSH_AUTH_SOCK</c> unless an item names it.</summary>
    private Dictionary<string, string> CreateSshAgents()
    {
        string? agent = Environment.GetEnvironmentVariable(SshAuthSock);
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ITaskItem item in SshAgents)
        {
            string id = item.ItemSpec.Trim();
            string socket = item.GetMetadata("Socket").Trim();
            if (socket.Length == 0 && string.IsNullOrEmpty(agent))
            {
                throw new ContainerizeException(ErrorCodes.InvalidSshAgent,
                    $"The ContainerSsh item '{id}' has no Socket and SSH_AUTH_SOCK is not set: set Socket to an SSH agent's socket, or start ssh-agent.");
            }
            agents[id] = socket.Length > 0 ? FromProject(socket) : agent!;
        }
        if (!string.IsNullOrEmpty(agent)) agents.TryAdd("default", agent);
        return agents;
    }
}
