using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Containerize.Engine.Tests.Copy;

/// <summary>A real HTTP server on 127.0.0.1 and a free port, serving the files put into it; anything else is a 404.</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, Served> _files = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private int _requests;

    public LocalHttpServer()
    {
        // The free port may be taken (by another test's connection) before the listener binds it: try another.
        for (int attempt = 1; ; attempt++)
        {
            BaseUrl = $"http://127.0.0.1:{FreePort()}";
            _listener = new HttpListener();
            _listener.Prefixes.Add(BaseUrl + "/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>How many requests arrived, whatever they asked for.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>One GET served: the path asked for.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    public string Url(string path) => BaseUrl + "/" + path.TrimStart('/');

    /// <summary>Serves <paramref name="content"/> at the path; <paramref name="lastModified"/> becomes the Last-Modified header.</summary>
    public string Serve(string path, byte[] content, DateTimeOffset? lastModified = null, TimeSpan delay = default, string? contentDisposition = null)
    {
        _files["/" + path.TrimStart('/')] = new Served(content, lastModified, delay, contentDisposition);
        return Url(path);
    }

    public string Serve(string path, string content, DateTimeOffset? lastModified = null) =>
        Serve(path, System.Text.Encoding.UTF8.GetBytes(content), lastModified);

    /// <summary>A port on 127.0.0.1 nothing listens on (it was free a moment ago).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Respond(context));
        }
    }

    private async Task Respond(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        string path = context.Request.Url!.AbsolutePath;
        Paths.Enqueue(path);
        var response = context.Response;
        try
        {
            if (!_files.TryGetValue(path, out var served))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            if (served.Delay > TimeSpan.Zero) await Task.Delay(served.Delay);
            if (served.LastModified is { } modified) response.Headers["Last-Modified"] = modified.ToString("R");
            if (served.ContentDisposition is { } disposition) response.Headers["Content-Disposition"] = disposition;
            response.ContentLength64 = served.Content.Length;
            await response.OutputStream.WriteAsync(served.Content);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (a cancelled download); nothing to answer.
        }
    }

    public void Dispose()
    {
        // Close alone (Stop first would make Close bind the port again to unregister, failing if it was reused).
        try { _listener.Close(); } catch (HttpListenerException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private sealed record Served(byte[] Content, DateTimeOffset? LastModified, TimeSpan Delay, string? ContentDisposition);
}
