using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// Listeners on the build machine a step may or may not reach: one on 127.0.0.1 (a loopback-only
/// service: a database, an unauthenticated registry, a metadata proxy) and one on the machine's
/// own non-loopback address (standing for the outside world, which a step's network must reach).
/// Each accepted connection is answered with the listener's name.
/// </summary>
internal sealed class StepNetwork : IDisposable
{
    private readonly TcpListener _loopback = new(IPAddress.Loopback, 0);
    private readonly TcpListener _outside;
    private readonly CancellationTokenSource _stop = new();

    public StepNetwork()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? throw new AssertInconclusiveException("this machine has no non-loopback IPv4 address to stand for the outside world");
        _outside = new TcpListener(address, 0);
        _loopback.Start();
        _outside.Start();
        _ = ServeAsync(_loopback, "loopback-service");
        _ = ServeAsync(_outside, "outside-service");
    }

    public int LoopbackPort => ((IPEndPoint)_loopback.LocalEndpoint).Port;
    public IPEndPoint Outside => (IPEndPoint)_outside.LocalEndpoint;

    /// <summary>
    /// Tries the loopback service directly, through the user-mode stack's gateway (10.0.2.2, which
    /// slirp4netns maps to the host's loopback unless that is disabled), and the outside service;
    /// prints what answered or <c>name=unreachable</c>.
    /// </summary>
    public string Script() => string.Join("; ",
        $"nc -w 3 127.0.0.1 {LoopbackPort} </dev/null 2>/dev/null || echo 127.0.0.1=unreachable",
        $"nc -w 3 10.0.2.2 {LoopbackPort} </dev/null 2>/dev/null || echo 10.0.2.2=unreachable",
        $"nc -w 3 {Outside.Address} {Outside.Port} </dev/null 2>/dev/null || echo outside=unreachable");

    private async Task ServeAsync(TcpListener listener, string name)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(_stop.Token);
                await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(name + "\n"), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loopback.Stop();
        _outside.Stop();
    }
}
