using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// SSH agents RUN --mount=type=ssh forwards (<c>ContainerSsh</c> items, <c>--ssh</c>), by id: a socket,
/// or without one <c>$SSH_AUTH_SOCK</c>. For MSBuild, <c>default</c> is <c>$SSH_AUTH_SOCK</c> unless an
/// item names it; the CLI forwards only what <c>--ssh</c> names, as <c>docker build</c> does.
/// </summary>
public static class SshAgentSetting
{
    public const string AgentVariable = "SSH_AUTH_SOCK";

    /// <summary>Each id with its socket (relative to <paramref name="baseDirectory"/>) or, where none is given, <c>$SSH_AUTH_SOCK</c>.</summary>
    /// <param name="setting">What the user wrote them in, for the message.</param>
    /// <param name="agentIsDefault">Whether <c>$SSH_AUTH_SOCK</c> is the <c>default</c> agent even when no id names it.</param>
    public static Dictionary<string, string> Parse(IEnumerable<KeyValuePair<string, string?>> given, string baseDirectory, string setting, bool agentIsDefault = true) =>
        Parse(given, baseDirectory, setting, agentIsDefault, Environment.GetEnvironmentVariable(AgentVariable));

    /// <summary><c>ID</c> or <c>ID=SOCKET</c>, as <c>docker build --ssh</c> takes them.</summary>
    public static Dictionary<string, string> ParseCommandLine(IEnumerable<string> given, string baseDirectory, string setting) =>
        ParseCommandLine(given, baseDirectory, setting, Environment.GetEnvironmentVariable(AgentVariable));

    internal static Dictionary<string, string> ParseCommandLine(IEnumerable<string> given, string baseDirectory, string setting, string? agent) =>
        Parse(given.Select(text => text.IndexOf('=') is var equals and >= 0
            ? KeyValuePair.Create(text[..equals], (string?)text[(equals + 1)..])
            : KeyValuePair.Create(text, (string?)null)), baseDirectory, setting, agentIsDefault: false, agent);

    internal static Dictionary<string, string> Parse(IEnumerable<KeyValuePair<string, string?>> given, string baseDirectory, string setting, bool agentIsDefault, string? agent)
    {
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawId, rawSocket) in given)
        {
            string id = rawId.Trim();
            string socket = rawSocket?.Trim() ?? "";
            if (socket.Length == 0 && string.IsNullOrEmpty(agent))
            {
                throw new ContainerizeException(ErrorCodes.InvalidSshAgent,
                    $"{setting} '{id}' has no socket and SSH_AUTH_SOCK is not set: give the socket of an SSH agent, or start ssh-agent.");
            }
            agents[id] = socket.Length > 0 ? Path.GetFullPath(Path.Combine(baseDirectory, socket)) : agent!;
        }
        if (agentIsDefault && !string.IsNullOrEmpty(agent)) agents.TryAdd("default", agent);
        return agents;
    }
}
