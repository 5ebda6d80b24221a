using System.Diagnostics;
using System.Text;

namespace Containerize.TestSupport.Registry;

/// <summary>
/// A real registry for tests: Debian's <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 and
/// a free port, with filesystem storage in a temporary folder and deletes enabled. Stopped and
/// removed on dispose. Basic authentication needs <c>htpasswd</c> (package apache2-utils).
/// </summary>
public sealed partial class RegistryServer : IDisposable
{
    public const string Executable = "/usr/bin/docker-registry";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _accessLog;

    private RegistryServer(string authSection, TempDirectory directory, bool accessLog = false)
    {
        _directory = directory;
        _accessLog = accessLog;
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            File.WriteAllText(directory.Combine("config.yml"), Config(authSection));
            _process = StartProcess();
            if (WaitUntilAnswering()) return;
            Stop();
            if (attempt == 2)
            {
                _directory.Dispose();
                throw new InvalidOperationException($"docker-registry did not start on port {Port}:\n{Output}");
            }
        }
    }

    /// <summary>"127.0.0.1:PORT", the registry part of image references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public int Port { get; private set; }

    public Uri BaseUri => new($"http://{Host}/");

    /// <summary>The filesystem storage root (<c>docker/registry/v2/...</c> below it).</summary>
    public string StorageDirectory => _directory.Combine("storage");

    /// <summary>What the registry printed so far, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static RegistryServer StartAnonymous() => new("", new TempDirectory("ctz-registry"));

    /// <summary>An anonymous registry that logs every request it serves (<see cref="Requests"/>).</summary>
    public static RegistryServer StartAnonymousWithAccessLog() => new("", new TempDirectory("ctz-registry"), accessLog: true);

    /// <summary>The requests served so far, from the access log ("HEAD /v2/…"), in order; empty unless started with the access log.</summary>
    public IReadOnlyList<string> Requests => AccessLogLine().Matches(Output).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();

    /// <summary>Waits until the registry has printed nothing new for a moment, so <see cref="Requests"/> holds every request made so far.</summary>
    public async Task WaitForQuietAsync()
    {
        int length = -1;
        for (int i = 0; i < 50 && Output.Length != length; i++)
        {
            length = Output.Length;
            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"""([A-Z]+) (/v2/\S*) HTTP/[0-9.]+""")]
    private static partial System.Text.RegularExpressions.Regex AccessLogLine();

    /// <summary>A registry that wants HTTP Basic credentials, checked against a bcrypt htpasswd file.</summary>
    public static RegistryServer StartWithBasicAuth(string user, string password)
    {
        var directory = new TempDirectory("ctz-registry");
        string htpasswd = directory.Combine("htpasswd");
        File.WriteAllText(htpasswd, Htpasswd(user, password));
        return new RegistryServer($"auth:\n  htpasswd:\n    realm: containerize-test\n    path: {htpasswd}\n", directory);
    }

    /// <summary>A registry that wants bearer tokens from <paramref name="tokens"/>.</summary>
    public static RegistryServer StartWithTokenAuth(TokenServer tokens) => new(
        $"auth:\n  token:\n    realm: {tokens.Realm}\n    service: {tokens.Service}\n    issuer: {tokens.Issuer}\n    rootcertbundle: {tokens.CertificateBundlePath}\n",
        new TempDirectory("ctz-registry"));

    /// <summary>Where the registry keeps a blob's bytes, to corrupt them in tests.</summary>
    public string BlobDataPath(string digest)
    {
        string hex = digest[(digest.IndexOf(':') + 1)..];
        return Path.Combine(StorageDirectory, "docker", "registry", "v2", "blobs", digest[..digest.IndexOf(':')], hex[..2], hex, "data");
    }

    private string Config(string authSection) => $"""
        version: 0.1
        log:
          level: warn
          accesslog:
            disabled: {(_accessLog ? "false" : "true")}
        storage:
          filesystem:
            rootdirectory: {StorageDirectory}
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: 127.0.0.1:{Port}
          secret: containerize-test-secret
        {authSection}

        """;

    private Process StartProcess()
    {
        var start = new ProcessStartInfo(Executable, ["serve", _directory.Combine("config.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private bool WaitUntilAnswering()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) return false;
            try
            {
                using var response = client.GetAsync(new Uri(BaseUri, "v2/")).GetAwaiter().GetResult();
                return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(50);
        }
        return false;
    }

    private static string Htpasswd(string user, string password)
    {
        var start = new ProcessStartInfo("htpasswd", ["-Bbn", user, password]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("htpasswd cannot be started (apt-get install apache2-utils).");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"htpasswd failed: {process.StandardError.ReadToEnd()}");
        return output.Trim() + "\n";
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _directory.Dispose();
    }
}
