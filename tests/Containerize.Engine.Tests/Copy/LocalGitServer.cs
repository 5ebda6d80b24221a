using System.Diagnostics;
using System.Net.Sockets;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Copy;

/// <summary>
/// Real git repositories served by <c>git daemon</c> on 127.0.0.1 and a free port (git:// URLs).
/// Commits are made with fixed committer dates so their times can be asserted.
/// </summary>
internal sealed class LocalGitServer : IDisposable
{
    private readonly TempDirectory _root = new("ctz-gitsrv");
    private readonly Process _daemon;

    public LocalGitServer()
    {
        // The free port may be taken before the daemon binds it (the daemon then exits): try another.
        for (int attempt = 1; ; attempt++)
        {
            Port = LocalHttpServer.FreePort();
            _daemon = StartDaemon();
            if (WaitUntilListening()) break;
            _daemon.Dispose();
            if (attempt == 10) throw new InvalidOperationException("git daemon did not start listening on 127.0.0.1.");
        }
    }

    private Process StartDaemon()
    {
        var start = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "daemon", "--export-all", "--reuseaddr", $"--base-path={_root.Path}", $"--port={Port}", "--listen=127.0.0.1", "--informative-errors" })
        {
            start.ArgumentList.Add(argument);
        }
        var daemon = Process.Start(start)!;
        daemon.OutputDataReceived += (_, _) => { };
        daemon.ErrorDataReceived += (_, _) => { };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        return daemon;
    }

    public int Port { get; private set; }

    public string Url(string repository) => $"git://127.0.0.1:{Port}/{repository}";

    /// <summary>Creates an empty repository (default branch main) under the served root and returns its path.</summary>
    public string CreateRepository(string name)
    {
        string path = _root.Combine(name);
        Git(_root.Path, null, "init", "-q", "-b", "main", path);
        return path;
    }

    /// <summary>Writes files (path → content; a content starting "#!" becomes executable), commits them at <paramref name="date"/> and returns the commit hash.</summary>
    public string Commit(string repository, DateTimeOffset date, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            string full = Path.Combine(repository, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            if (content.StartsWith("#!", StringComparison.Ordinal)) File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
        }
        Git(repository, null, "add", "-A");
        Git(repository, date, "commit", "-q", "-m", "commit at " + date.ToString("u"));
        return Git(repository, null, "rev-parse", "HEAD").Trim();
    }

    public string Git(string repository, DateTimeOffset? date, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Test",
            ["GIT_AUTHOR_EMAIL"] = "test@example.com",
            ["GIT_COMMITTER_NAME"] = "Test",
            ["GIT_COMMITTER_EMAIL"] = "test@example.com",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["HOME"] = _root.Path,
        };
        if (date is { } d)
        {
            environment["GIT_AUTHOR_DATE"] = d.ToUnixTimeSeconds() + " +0000";
            environment["GIT_COMMITTER_DATE"] = d.ToUnixTimeSeconds() + " +0000";
        }
        var result = ProcessRunner.RunAsync("git", arguments, repository, environment, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
        return result.EnsureSuccess("git " + string.Join(' ', arguments)).StandardOutput;
    }

    /// <summary>Whether the daemon accepts connections (false when it exited, e.g. because the port was taken).</summary>
    private bool WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!_daemon.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return !_daemon.HasExited;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    public void Dispose()
    {
        try { _daemon.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _daemon.WaitForExit();
        _daemon.Dispose();
        _root.Dispose();
    }
}
