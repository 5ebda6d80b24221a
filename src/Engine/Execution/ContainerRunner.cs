using System.Diagnostics;
using System.Runtime.InteropServices;
using Containerize.Engine.Diagnostics;
using Containerize.HelperProtocol;

namespace Containerize.Engine.Execution;

/// <summary>
/// Runs one command in a container made of overlay layers: starts util-linux <c>unshare</c> (through
/// <c>containerize-helper launch</c>, so that it dies with this process and inherits none of its
/// descriptors) with new mount, pid, uts and ipc namespaces, a user namespace when not root and a
/// network namespace unless the step uses the host's (<see cref="ContainerNetwork.Default"/> is
/// connected by <see cref="UserModeNetwork"/>), which runs the helper (<c>containerize-helper run</c>)
/// that mounts the root, pivots into it and execs the command. Output is streamed line by line; the
/// result is the command's exit code (and the signal, when one killed it: see <see cref="UnshareExit"/>). A failure to set the container up is a
/// <see cref="ContainerizeException"/> (codes CTZ7000-7019), never an exit code. Cancellation kills
/// the pid namespace's init, which takes every process of the namespace with it.
/// </summary>
public sealed class ContainerRunner
{
    private readonly HelperLocation? _helper;
    private readonly UserNamespaceMapping? _idMapping;
    private readonly Action<string>? _onWarning;
    private int _warned;

    public ContainerRunner(HelperLocation? helper = null, UserNamespaceMapping? idMapping = null, Action<string>? onWarning = null)
    {
        _helper = helper;
        _idMapping = idMapping;
        _onWarning = onWarning;
    }

    /// <returns>The command's exit code; 128 + the signal when one killed it.</returns>
    public async Task<int> RunAsync(ContainerSpec spec, Action<string> onOutputLine, CancellationToken cancellationToken) =>
        (await RunToExitAsync(spec, onOutputLine, cancellationToken).ConfigureAwait(false)).ExitCode;

    /// <summary>As <see cref="RunAsync"/>, and says whether a signal killed the command.</summary>
    public async Task<ContainerExit> RunToExitAsync(ContainerSpec spec, Action<string> onOutputLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onOutputLine);
        cancellationToken.ThrowIfCancellationRequested();
        if (spec.FieldWithNul() is { } field)
        {
            throw new ContainerizeException(ErrorCodes.NulInContainerSpec, $"The container's {field} contains a NUL character, which no process can be given.");
        }
        var helper = _helper ?? HelperLocation.Find();
        var mapping = _idMapping ?? UserNamespaceMapping.Detect();
        if (mapping.Warning is not null && Interlocked.Exchange(ref _warned, 1) == 0) _onWarning?.Invoke(mapping.Warning);
        string unshare = ExecutableSearch.Find("unshare", "/usr/bin", "/bin")
            ?? throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound,
                "RUN steps need util-linux's unshare, which is not on PATH: install util-linux.");
        string? userModeNetwork = spec.Network == ContainerNetwork.Default ? UserModeNetwork.Find() : null;

        // Private: the spec holds the step's environment, which may carry a secret (RUN --mount=type=secret,env=).
        string scratch = IO.ScratchDirectory.CreatePrivate("ctz-run-");
        Directory.CreateDirectory(Path.Combine(scratch, HelperScratchFiles.MountPoint));
        try
        {
            string? resolvConf = null;
            if (userModeNetwork is not null)
            {
                resolvConf = Path.Combine(scratch, "resolv.conf");
                await File.WriteAllTextAsync(resolvConf, UserModeNetwork.ResolvConf(File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : null), CancellationToken.None);
                IO.Native.LibC.Chmod(resolvConf, 0b110_100_100);
            }
            await File.WriteAllBytesAsync(Path.Combine(scratch, HelperScratchFiles.Spec),
                ContainerSpecEncoding.Encode(spec, Path.Combine(scratch, HelperScratchFiles.MountPoint), resolvConf, userXattr: mapping.Kind != UserNamespaceKind.None), CancellationToken.None);
            var start = helper.LaunchStartInfo(unshare);
            foreach (string a in UnshareArguments(mapping, spec.Network, helper, scratch)) start.ArgumentList.Add(a);

            var tail = new OutputTail(30);
            var gate = new object();
            void Line(string? line)
            {
                if (line is null) return;
                tail.Add(line);
                lock (gate) onOutputLine(line);
            }

            bool sigkillReported = false;
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null && UnshareExit.IsSigkillReport(e.Data)) sigkillReported = true;
                else Line(e.Data);
            };
            await ProcessLaunchThread.StartAsync(process);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            UserModeNetwork? network = null;
            try
            {
                // Each wait is false once unshare has exited (it could not make the namespaces; its message explains).
                // Two lines on stdin: the first lets the helper start once the ids are mapped; the
                // second lets it exec the command once the network is up (it sets the container up meanwhile).
                bool running = mapping.Kind != UserNamespaceKind.SubordinateRange || await MapIdsAsync(process, mapping, cancellationToken);
                if (running && mapping.Kind == UserNamespaceKind.SubordinateRange) await Go(process);
                if (running && userModeNetwork is not null && await WaitForNamespaceAsync(process, "net", cancellationToken))
                {
                    network = await UserModeNetwork.StartAsync(userModeNetwork, process.Id, cancellationToken);
                    await Go(process);
                }
                CloseInput(process);
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (Exception)
            {
                await KillNamespaceAsync(process);
                throw;
            }
            finally
            {
                if (network is not null) await network.DisposeAsync();
            }
            process.WaitForExit(); // drains the output events
            return Outcome(process.ExitCode, sigkillReported, scratch, tail);
        }
        finally
        {
            MountPointCleanup.Clean(spec, Path.Combine(scratch, HelperScratchFiles.Created));
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    internal static IEnumerable<string> UnshareArguments(UserNamespaceMapping mapping, ContainerNetwork network, HelperLocation helper, string scratch)
    {
        if (mapping.Kind == UserNamespaceKind.SingleId) yield return "--map-root-user";
        else if (mapping.Kind == UserNamespaceKind.SubordinateRange) yield return "--user";
        foreach (string a in new[] { "--mount", "--pid", "--uts", "--ipc", "--fork", "--kill-child" }) yield return a;
        if (network != ContainerNetwork.Host) yield return "--net";
        yield return "--";
        if (mapping.Kind == UserNamespaceKind.SubordinateRange)
        {
            // The ids are mapped from outside (newuidmap) after unshare created the namespace; the
            // helper must start after that, as root of the namespace, to hold its capabilities.
            yield return "/bin/sh";
            yield return "-c";
            yield return $"read -r _ || exit {HelperFailureCodes.SetupFailedExitCode}; exec \"$@\"";
            yield return "containerize-helper";
        }
        foreach (string part in helper.Command) yield return part;
        yield return HelperCommands.Run;
        yield return scratch;
    }

    /// <summary>Waits until unshare has made its <paramref name="kind"/> namespace; false when unshare exited first (its message explains).</summary>
    private static async Task<bool> WaitForNamespaceAsync(Process process, string kind, CancellationToken cancellationToken)
    {
        string own = ReadLink($"/proc/self/ns/{kind}") ?? "";
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited) return false;
            string? ns = ReadLink($"/proc/{process.Id}/ns/{kind}");
            if (ns is not null && ns != own) return true;
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new ContainerizeException(kind == "user" ? ErrorCodes.IdMappingFailed : ErrorCodes.ContainerSetupFailed, $"unshare did not create the {kind} namespace within 10 s.");
            }
            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>Lets the helper waiting on its stdin start; unshare may have exited meanwhile, and its exit code tells.</summary>
    internal static async Task Go(Process process)
    {
        try { await process.StandardInput.WriteAsync("\n"); }
        catch (IOException) { }
    }

    internal static void CloseInput(Process process)
    {
        try { process.StandardInput.Close(); }
        catch (IOException) { }
    }

    /// <summary>Maps the subordinate ids into unshare's new user namespace; false when unshare exited before making it.</summary>
    internal static async Task<bool> MapIdsAsync(Process process, UserNamespaceMapping mapping, CancellationToken cancellationToken)
    {
        if (!await WaitForNamespaceAsync(process, "user", cancellationToken)) return false;
        string pid = process.Id.ToString();
        await RunMapperAsync(mapping.NewUidMap!, [pid, "0", mapping.HostUid.ToString(), "1", "1", mapping.SubUidStart.ToString(), mapping.SubUidCount.ToString()], cancellationToken);
        await RunMapperAsync(mapping.NewGidMap!, [pid, "0", mapping.HostGid.ToString(), "1", "1", mapping.SubGidStart.ToString(), mapping.SubGidCount.ToString()], cancellationToken);
        return true;
    }

    private static async Task RunMapperAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string error = await p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        if (p.ExitCode != 0)
        {
            throw new ContainerizeException(ErrorCodes.IdMappingFailed,
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed: {error.Trim()}. " +
                "Check the user's ranges in /etc/subuid and /etc/subgid and that newuidmap/newgidmap are setuid root (package uidmap).");
        }
    }

    private static ContainerExit Outcome(int exitCode, bool sigkillReported, string scratch, OutputTail tail)
    {
        string errorFile = Path.Combine(scratch, HelperScratchFiles.Error);
        if (File.Exists(errorFile))
        {
            var (code, message) = HelperErrorReport.Parse(File.ReadAllText(errorFile));
            throw new ContainerizeException(code, $"The RUN container could not be set up: {message}");
        }
        if (exitCode != 0 && !File.Exists(Path.Combine(scratch, HelperScratchFiles.Created)))
        {
            throw NamespaceFailure(exitCode, tail.Text());
        }
        return UnshareExit.Interpret(exitCode, sigkillReported);
    }

    /// <summary>unshare (or the helper's start) failed before the helper could report anything.</summary>
    internal static ContainerizeException NamespaceFailure(int exitCode, string output) => NamespaceRefusal.Diagnose(exitCode, output);

    /// <summary>Kills the pid namespace's init (unshare's child): the kernel then kills everything in the namespace.</summary>
    private static async Task KillNamespaceAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                var children = ChildrenOf(process.Id);
                foreach (int child in children) kill(child, 9);
                if (children.Count == 0) kill(process.Id, 9);
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { } // never started or already gone
    }

    private static List<int> ChildrenOf(int pid)
    {
        var result = new List<int>();
        try
        {
            foreach (string s in File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(s, out int c)) result.Add(c);
            }
        }
        catch (IOException) { }
        return result;
    }

    private static string? ReadLink(string path)
    {
        try { return new FileInfo(path).LinkTarget; } catch (IOException) { return null; } catch (UnauthorizedAccessException) { return null; }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private sealed class OutputTail(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > capacity) _lines.Dequeue();
            }
        }

        public string Text()
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }
}
