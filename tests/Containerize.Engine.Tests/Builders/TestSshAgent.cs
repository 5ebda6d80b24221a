using System.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// A real OpenSSH agent started by a test (<c>ssh-agent -D -a &lt;socket&gt;</c>) holding one fresh
/// ed25519 key; stopped (by its own process id) on dispose.
/// </summary>
internal sealed class TestSshAgent : IDisposable
{
    private readonly Process _agent;

    public TestSshAgent(string directory, string comment)
    {
        Socket = Path.Combine(directory, "agent.sock");
        _agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", Socket]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(Socket))
        {
            if (_agent.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new InvalidOperationException("ssh-agent did not create its socket");
            Thread.Sleep(20);
        }
        string key = Path.Combine(directory, "id_ed25519");
        ExternalTool.RunChecked("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key);
        Run("ssh-add", key);
        Keys = Run("ssh-add", "-l");
    }

    public string Socket { get; }

    /// <summary>What <c>ssh-add -l</c> prints on the host: the key's size, fingerprint, comment and type.</summary>
    public string Keys { get; }

    private string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["SSH_AUTH_SOCK"] = Socket;
        using var p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {error}");
        return output;
    }

    /// <summary>
    /// Copies <c>/usr/bin/ssh-add</c>, its shared libraries and the dynamic loader (from <c>ldd</c>)
    /// into <paramref name="folder"/>, so a step on busybox (which has no ssh-add and no glibc) can run
    /// the real client as <c>ld.so --library-path &lt;dir&gt; &lt;dir&gt;/ssh-add</c>.
    /// </summary>
    public static void StageSshAdd(string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy("/usr/bin/ssh-add", Path.Combine(folder, "ssh-add"));
        foreach (string line in ExternalTool.RunChecked("ldd", "/usr/bin/ssh-add").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] words = line.Trim().Split(' ');
            string? library = words.Length >= 3 && words[1] == "=>" ? words[2] : words[0].StartsWith('/') ? words[0] : null;
            if (library is null) continue;
            string name = library.Contains("/ld-linux", StringComparison.Ordinal) ? "ld.so" : Path.GetFileName(library);
            File.Copy(library, Path.Combine(folder, name), overwrite: true);
        }
    }

    public void Dispose()
    {
        if (!_agent.HasExited) _agent.Kill();
        _agent.WaitForExit();
        _agent.Dispose();
    }
}
