using System.Diagnostics;
using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Execution;

/// <summary>
/// The network of a step's own network namespace (<see cref="ContainerNetwork.Default"/>):
/// slirp4netns, a user-mode TCP/IP stack that works for root and ordinary users alike, gives the
/// namespace a tap device (10.0.2.100, gateway 10.0.2.2, DNS forwarder 10.0.2.3) whose traffic
/// leaves through ordinary sockets of the build machine, so <c>apt-get</c> and <c>dotnet restore</c>
/// work. Host loopback is disabled: the gateway does not lead to the machine's 127.0.0.1, and the
/// namespace's own 127.0.0.1 is its own, so loopback-only services of the build machine are out of
/// reach, as under BuildKit and buildah. It is stopped when the step ends, and dies with the build.
/// </summary>
internal sealed class UserModeNetwork : IAsyncDisposable
{
    public const string Program = "slirp4netns";
    public const string NameServer = "10.0.2.3";
    private const string Device = "tap0";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private UserModeNetwork(Process process) => _process = process;

    private const string Alternatives = "or run the steps on the build machine's network with ContainerRunNetwork=host " +
        "(containerize build --network host), or without one with ContainerRunNetwork=none.";

    /// <summary>slirp4netns on PATH, or the error that says how to get it or do without.</summary>
    public static string Find()
    {
        string program = ExecutableSearch.Find(Program)
            ?? throw new ContainerizeException(ErrorCodes.UserModeNetworkUnavailable,
                $"RUN steps get a network of their own, reached through {Program}, which is not installed: install the package {Program} (apt-get install slirp4netns), " + Alternatives);
        // As an ordinary user, slirp4netns opens the tun device from inside the step's namespaces.
        if (!IO.Native.LibC.IsRoot && !IO.Native.LibC.CanReadAndWrite(TunDevice))
        {
            throw new ContainerizeException(ErrorCodes.UserModeNetworkUnavailable,
                $"RUN steps get a network of their own through {Program}, which needs {TunDevice}, but this user cannot open it " +
                $"({(File.Exists(TunDevice) ? "its mode shuts ordinary users out; udev's default makes it 0666: chmod 0666 " + TunDevice + " as root" : "it does not exist: load the tun module, modprobe tun")}), " + Alternatives);
        }
        return program;
    }

    private const string TunDevice = "/dev/net/tun";

    /// <summary>
    /// Connects the network namespace of <paramref name="namespacePid"/> (which must already have
    /// its own user namespace's ids mapped) and returns once its default route is up.
    /// </summary>
    public static async Task<UserModeNetwork> StartAsync(string program, int namespacePid, CancellationToken cancellationToken)
    {
        // util-linux setpriv (beside unshare) ties slirp4netns to this process as the helper's launch
        // does for unshare, in a millisecond instead of the helper's start; slirp4netns runs no code
        // of the step, so the descriptors it inherits do not matter.
        string setpriv = ExecutableSearch.Find("setpriv", "/usr/bin", "/bin")
            ?? throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound, "RUN steps need util-linux's setpriv, which is not on PATH: install util-linux.");
        var start = new ProcessStartInfo(setpriv) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--pdeathsig", "KILL", "--", program }) start.ArgumentList.Add(a);
        foreach (string a in new[] { "--configure", "--mtu=65520", "--disable-host-loopback", namespacePid.ToString(System.Globalization.CultureInfo.InvariantCulture), Device })
        {
            start.ArgumentList.Add(a);
        }
        var network = new UserModeNetwork(new Process { StartInfo = start });
        try
        {
            network._process.OutputDataReceived += (_, e) => network.Keep(e.Data);
            network._process.ErrorDataReceived += (_, e) => network.Keep(e.Data);
            await ProcessLaunchThread.StartAsync(network._process).ConfigureAwait(false);
            network._process.BeginOutputReadLine();
            network._process.BeginErrorReadLine();
            await network.WaitForRouteAsync(namespacePid, cancellationToken).ConfigureAwait(false);
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The step's /etc/resolv.conf: the forwarder as name server, the build machine's search domains and options.</summary>
    public static string ResolvConf(string? hostResolvConf)
    {
        var text = new StringBuilder($"nameserver {NameServer}\n");
        foreach (string line in (hostResolvConf ?? "").Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("search", StringComparison.Ordinal) || trimmed.StartsWith("domain", StringComparison.Ordinal) || trimmed.StartsWith("options", StringComparison.Ordinal))
            {
                text.Append(trimmed).Append('\n');
            }
        }
        return text.ToString();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) if (_output.Length < 4096) _output.AppendLine(line);
    }

    /// <summary>slirp4netns configures the device, then its route: the route in the namespace's own /proc/net/route says it is ready.</summary>
    private async Task WaitForRouteAsync(int namespacePid, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                foreach (string line in File.ReadLines($"/proc/{namespacePid}/net/route").Skip(1))
                {
                    string[] fields = line.Split('\t', StringSplitOptions.TrimEntries);
                    if (fields.Length > 1 && fields[0] == Device && fields[1] == "00000000") return;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The namespace's process is gone: the caller sees it exit.
                return;
            }
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                if (_process.HasExited) _process.WaitForExit(); // drains the output
                string output;
                lock (_output) output = _output.ToString().Trim();
                throw new ContainerizeException(ErrorCodes.UserModeNetworkUnavailable,
                    $"{Program} could not connect the step's network namespace ({(_process.HasExited ? $"exit code {_process.ExitCode}" : "no route after 20 s")}): " +
                    $"{(output.Length == 0 ? "it printed nothing" : output)}. Set ContainerRunNetwork=host (containerize build --network host) to run the steps on the build machine's network instead.");
            }
            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Kills slirp4netns without waiting for its end: closing its tap device makes the kernel take
    /// the namespace's network down, which took 30 ms or more here, longer than many steps. It is
    /// reaped (and the process object released) when it has gone.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _ = _process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => _process.Dispose(), TaskScheduler.Default);
        }
        catch (InvalidOperationException)
        {
            _process.Dispose(); // never started
        }
        return ValueTask.CompletedTask;
    }
}
