using System.Diagnostics;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// ctz-run-probe (ContainerRunner from the command line, see tests/Containerize.RunProbe) as a
/// process of its own, optionally as another user (setpriv execs in place, so the process is the
/// probe itself and can be killed as a build would be). Output lines arrive as they are printed.
/// </summary>
internal sealed class RunProbeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _startedLine;

    private RunProbeProcess(Process process, string startedLine)
    {
        _process = process;
        _startedLine = startedLine;
    }

    public int Pid => _process.Id;

    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    /// <param name="user">null: this process's user; else (name, uid, gid) to run as.</param>
    public static RunProbeProcess Start(IEnumerable<string> probeArguments, string startedLine, (string Name, uint Uid, uint Gid)? user = null)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "ctz-run-probe.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(user is null ? dotnet : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        if (user is { } u)
        {
            foreach (string a in new[] { $"--reuid={u.Uid}", $"--regid={u.Gid}", "--init-groups", "--", dotnet }) start.ArgumentList.Add(a);
            start.Environment["HOME"] = $"/home/{u.Name}";
            start.Environment["DOTNET_CLI_HOME"] = $"/home/{u.Name}";
            start.Environment["USER"] = u.Name;
        }
        start.ArgumentList.Add(probe);
        foreach (string a in probeArguments) start.ArgumentList.Add(a);
        var process = new Process { StartInfo = start };
        var probeProcess = new RunProbeProcess(process, startedLine);
        process.OutputDataReceived += (_, e) => probeProcess.Add(e.Data);
        process.ErrorDataReceived += (_, e) => probeProcess.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return probeProcess;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
        if (line == _startedLine) _started.TrySetResult(true);
    }

    /// <summary>Waits for the started line; fails with the output when the probe ends or times out first.</summary>
    public async Task WaitForStartAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_started.Task, exited, Task.Delay(timeout));
        if (first != _started.Task) Assert.Fail($"the probe did not print '{_startedLine}':\n{Output}");
    }

    public void KillHard()
    {
        _process.Kill(entireProcessTree: false); // SIGKILL of the probe alone, as `kill -9` of a build
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
