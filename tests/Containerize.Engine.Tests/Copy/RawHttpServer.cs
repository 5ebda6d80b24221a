using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Containerize.Engine.Tests.Copy;

/// <summary>
/// A hostile HTTP server on 127.0.0.1: each request (read up to its blank line) is answered with the
/// exact bytes the test wrote for its path, whatever they say (a Location to file://, a
/// Content-Length the body does not have), and the connection is closed. Other paths get a 404.
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _answers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RawHttpServer()
    {
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>The head of each request received (request line and headers), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string Url(string path) => BaseUrl + "/" + path.TrimStart('/');

    /// <summary>Answers GET <paramref name="path"/> with these bytes, sent as they are; returns the URL.</summary>
    public string Answer(string path, byte[] response) => AnswerInTurn(path, response);

    /// <summary>Answers the requests for <paramref name="path"/> with these responses in turn, the last one from then on.</summary>
    public string AnswerInTurn(string path, params byte[][] responses)
    {
        _answers["/" + path.TrimStart('/')] = new ConcurrentQueue<byte[]>(responses);
        return Url(path);
    }

    public string Answer(string path, int status, string reason, byte[] body, params string[] headers) =>
        Answer(path, Response(status, reason, body, headers));

    public string Redirect(string path, string location, int status = 302) =>
        Answer(path, status, "Found", Encoding.UTF8.GetBytes("redirect body"), "Location: " + location);

    /// <summary>A response: the status line, the headers (a Content-Length of the body unless one is given), the body.</summary>
    public static byte[] Response(int status, string reason, byte[] body, params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (string header in headers) head.Append(header).Append("\r\n");
        if (!headers.Any(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))) head.Append($"Content-Length: {body.Length}\r\n");
        head.Append("Connection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(() => RespondAsync(client));
        }
    }

    private async Task RespondAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string head = await ReadHeadAsync(stream);
                Requests.Enqueue(head);
                string path = head.Split(' ', 3) is [_, var target, _] ? target : "";
                byte[] answer = _answers.TryGetValue(path, out var turns) ? Next(turns) : Response(404, "Not Found", []);
                await stream.WriteAsync(answer, _stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private static byte[] Next(ConcurrentQueue<byte[]> turns)
    {
        lock (turns)
        {
            return turns.Count > 1 && turns.TryDequeue(out var next) ? next : turns.First();
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 65536 && await stream.ReadAsync(one, _stop.Token) == 1)
        {
            head.Add(one[0]);
            if (head.Count >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r') break;
        }
        return Encoding.ASCII.GetString([.. head]);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
