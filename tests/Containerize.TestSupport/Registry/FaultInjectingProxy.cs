using System.Net;

namespace Containerize.TestSupport.Registry;

/// <summary>What the proxy does to one request.</summary>
public abstract record Fault
{
    public static readonly Fault None = new NoFault();

    /// <summary>Answers with this status instead of forwarding, optionally with Retry-After seconds.</summary>
    public static Fault Status(int status, int? retryAfterSeconds = null) => new StatusFault(status, retryAfterSeconds);

    /// <summary>Forwards the request, then sends the headers and half the body of the answer and breaks the connection.</summary>
    public static readonly Fault DropConnection = new DropFault();

    public sealed record NoFault : Fault;
    public sealed record StatusFault(int Code, int? RetryAfterSeconds) : Fault;
    public sealed record DropFault : Fault;
}

/// <summary>A request as the proxy's fault plan sees it: its 1-based number, method and path.</summary>
public sealed record ProxiedRequest(int Number, string Method, string Path);

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of a registry that injects faults chosen per request by
/// a plan, to prove a client retries. The Host header is kept, so the registry's Location
/// headers point back through the proxy.
/// </summary>
public sealed class FaultInjectingProxy : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Expect", "Host", "Content-Length",
    };

    private readonly Uri _upstream;
    private readonly Func<ProxiedRequest, Fault> _plan;
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Task _loop;
    private int _requests, _faults;

    public FaultInjectingProxy(string upstreamHost, Func<ProxiedRequest, Fault> plan)
    {
        _upstream = new Uri($"http://{upstreamHost}/");
        _plan = plan;
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 3) { }
        }
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The first <paramref name="count"/> requests get <paramref name="status"/>.</summary>
    public static FaultInjectingProxy FailingFirst(string upstreamHost, int count, int status, int? retryAfterSeconds = null) =>
        new(upstreamHost, r => r.Number <= count ? Fault.Status(status, retryAfterSeconds) : Fault.None);

    /// <summary>Every <paramref name="k"/>-th request gets <paramref name="fault"/>.</summary>
    public static FaultInjectingProxy FailingEvery(string upstreamHost, int k, Fault fault) =>
        new(upstreamHost, r => r.Number % k == 0 ? fault : Fault.None);

    public int Port { get; private set; }

    public string Host => $"127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    public int FaultsInjected => Volatile.Read(ref _faults);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        int number = Interlocked.Increment(ref _requests);
        var fault = _plan(new ProxiedRequest(number, context.Request.HttpMethod, context.Request.Url!.AbsolutePath));
        try
        {
            if (fault is Fault.StatusFault status)
            {
                Interlocked.Increment(ref _faults);
                await DrainAsync(context.Request);
                context.Response.StatusCode = status.Code;
                if (status.RetryAfterSeconds is { } seconds) context.Response.Headers["Retry-After"] = seconds.ToString();
                context.Response.ContentType = "application/json";
                byte[] body = """{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}"""u8.ToArray();
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
                return;
            }
            await ForwardAsync(context, drop: fault is Fault.DropFault);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or HttpRequestException)
        {
            try { context.Response.Abort(); } catch (ObjectDisposedException) { }
        }
    }

    private async Task ForwardAsync(HttpListenerContext context, bool drop)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), new Uri(_upstream, incoming.RawUrl));
        if (incoming.HasEntityBody || incoming.ContentLength64 > 0)
        {
            request.Content = new StreamContent(incoming.InputStream);
            if (incoming.ContentLength64 >= 0) request.Content.Headers.ContentLength = incoming.ContentLength64;
        }
        foreach (string name in incoming.Headers.AllKeys.OfType<string>())
        {
            if (HopByHop.Contains(name)) continue;
            string[] values = incoming.Headers.GetValues(name) ?? [];
            if (!request.Headers.TryAddWithoutValidation(name, values)) request.Content?.Headers.TryAddWithoutValidation(name, values);
        }
        request.Headers.Host = incoming.Headers["Host"];

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(header.Key)) continue;
            foreach (string value in header.Value) outgoing.AddHeader(header.Key, value);
        }
        if (drop)
        {
            Interlocked.Increment(ref _faults);
            outgoing.ContentLength64 = Math.Max(body.Length, 1);
            if (body.Length > 1) await outgoing.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await outgoing.OutputStream.FlushAsync();
            outgoing.Abort();
            return;
        }
        if (incoming.HttpMethod == "HEAD")
        {
            if (response.Content.Headers.ContentLength is { } length) outgoing.ContentLength64 = length;
            outgoing.Close();
            return;
        }
        outgoing.ContentLength64 = body.Length;
        await outgoing.OutputStream.WriteAsync(body);
        outgoing.Close();
    }

    private static async Task DrainAsync(HttpListenerRequest request)
    {
        if (request.HasEntityBody) await request.InputStream.CopyToAsync(Stream.Null);
    }

    public void Dispose()
    {
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _client.Dispose();
    }
}
