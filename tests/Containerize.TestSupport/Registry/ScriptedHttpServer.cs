using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Containerize.TestSupport.Registry;

/// <summary>One request as <see cref="ScriptedHttpServer"/> read it: method, path (with query) and headers.</summary>
public sealed record ScriptedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 whose answers a test writes byte by byte, so it can misbehave
/// the ways a hostile registry or web server does: bodies that never end, stop short, run long,
/// or stall after the headers. One request per connection (every answer closes it). Request bodies
/// with a Content-Length are read and dropped.
/// </summary>
public sealed class ScriptedHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<ScriptedRequest, Stream, CancellationToken, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly System.Collections.Concurrent.ConcurrentQueue<ScriptedRequest> _served = new();

    public ScriptedHttpServer(Func<ScriptedRequest, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT": a registry name, loopback, so spoken to over plain HTTP.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public int Requests => _served.Count;

    /// <summary>How many requests <paramref name="which"/> selects arrived.</summary>
    public int RequestsWhere(Func<ScriptedRequest, bool> which) => _served.Count(which);

    /// <summary>Writes a status line and headers; a null <paramref name="contentLength"/> sends none (the body ends when the connection closes).</summary>
    public static Task WriteHeadAsync(Stream stream, int status, string? contentType, long? contentLength, CancellationToken ct, params (string Name, string Value)[] extra)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {(HttpStatusCode)status}\r\nConnection: close\r\n");
        if (contentType is not null) head.Append($"Content-Type: {contentType}\r\n");
        if (contentLength is { } length) head.Append($"Content-Length: {length}\r\n");
        foreach (var (name, value) in extra) head.Append($"{name}: {value}\r\n");
        head.Append("\r\n");
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct).AsTask();
    }

    /// <summary>A complete answer with a correct Content-Length.</summary>
    public static async Task WriteAsync(Stream stream, int status, string? contentType, byte[] body, CancellationToken ct, params (string Name, string Value)[] extra)
    {
        await WriteHeadAsync(stream, status, contentType, body.Length, ct, extra);
        await stream.WriteAsync(body, ct);
    }

    /// <summary>Sends bytes until the client hangs up or the server stops.</summary>
    public static async Task WriteEndlesslyAsync(Stream stream, CancellationToken ct)
    {
        var chunk = new byte[64 * 1024];
        while (!ct.IsCancellationRequested) await stream.WriteAsync(chunk, ct);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null) return;
                _served.Enqueue(request);
                await _respond(request, stream, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up on a hostile answer: that is the point.
            }
        }
    }

    private static async Task<ScriptedRequest?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, ct) == 0) return null;
            head.Add(one[0]);
        }
        string[] lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        if (headers.TryGetValue("Content-Length", out string? length) && long.TryParse(length, out long remaining))
        {
            var buffer = new byte[64 * 1024];
            while (remaining > 0)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
                if (read == 0) break;
                remaining -= read;
            }
        }
        return new ScriptedRequest(start[0], start[1], headers);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
