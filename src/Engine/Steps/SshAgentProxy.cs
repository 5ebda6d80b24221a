using System.Net.Sockets;

namespace Containerize.Engine.Steps;

/// <summary>
/// A Unix socket that forwards each connection to the host's SSH agent, for the time of one RUN
/// step (BuildKit forwards the agent the same way, through its session). The step gets a socket of
/// its own with the mount's mode and owner, the agent's socket is left untouched, and the agent
/// sees every connection come from the building user, so it answers steps that run as another
/// user too (OpenSSH's agent refuses peers of another uid).
/// </summary>
internal sealed class SshAgentProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _agentSocket;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = new();
    private readonly Task _accepting;

    private SshAgentProxy(Socket listener, string agentSocket, string path)
    {
        _listener = listener;
        _agentSocket = agentSocket;
        Path = path;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The proxy's socket, to bind into the container.</summary>
    public string Path { get; }

    /// <summary>Listens at <paramref name="path"/>, with <paramref name="prepare"/> applied to the socket file before the first connection.</summary>
    public static SshAgentProxy Start(string agentSocket, string path, Action<string> prepare)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            prepare(path);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new SshAgentProxy(listener, agentSocket, path);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            lock (_connections) _connections.Add(ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        using (var agent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await agent.ConnectAsync(new UnixDomainSocketEndPoint(_agentSocket), _stop.Token).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client, agent), PumpAsync(agent, client)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // The agent went away or the step ended: the client sees its connection close.
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            int sent = 0;
            while (sent < read) sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] pending;
        lock (_connections) pending = [.. _connections];
        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
        try { File.Delete(Path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
