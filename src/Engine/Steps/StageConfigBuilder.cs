using System.Text.Json;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// The image configuration of one stage as its metadata instructions change it, with Docker's
/// rules: WORKDIR relative to the previous one, shell-form commands wrapped in SHELL, ENTRYPOINT
/// clearing an inherited CMD, HEALTHCHECK options inherited when zero, and one history entry
/// (no layer) per instruction. Project properties (ContainerEnvironmentVariable, ContainerLabel,
/// ContainerPort, …) change it by the .NET SDK's rules instead, without history entries.
/// </summary>
public sealed class StageConfigBuilder
{
    public const string HistoryComment = "containerize.dockerfile.v0";
    private static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    private readonly string _dockerfilePath;
    private readonly string? _created;
    private readonly string _historyComment;
    private readonly List<HistoryEntry> _history = [];
    private ContainerConfig _config;
    private bool _cmdSetInStage;

    public StageConfigBuilder(ContainerConfig? inherited, string? author, string dockerfilePath, string? created, string historyComment = HistoryComment)
    {
        _historyComment = historyComment;
        _config = inherited ?? new ContainerConfig();
        Author = author;
        _dockerfilePath = dockerfilePath;
        _created = created;
    }

    public ContainerConfig Config => _config;

    public string? Author { get; private set; }

    /// <summary>History entries added by this stage's instructions, in order.</summary>
    public IReadOnlyList<HistoryEntry> History => _history;

    public string WorkingDirectory => string.IsNullOrEmpty(_config.WorkingDir) ? "/" : _config.WorkingDir;

    /// <summary>The new working directory of a WORKDIR (the executor also creates it in the filesystem).</summary>
    public string ResolveWorkingDirectory(string path) => SlashPath.Clean(path.StartsWith('/') ? path : WorkingDirectory.TrimEnd('/') + "/" + path);

    /// <summary>Applies a metadata instruction or WORKDIR and records its history entry.</summary>
    /// <param name="addedLayer">WORKDIR only: whether creating the directory added a layer.</param>
    public void Apply(Instruction instruction, bool addedLayer = false)
    {
        switch (instruction)
        {
            case EnvInstruction env:
                var variables = new List<string>(_config.Env ?? []);
                foreach (var (key, value) in env.Variables) EnvironmentEntries.Set(variables, key, value);
                _config = _config with { Env = variables };
                Record($"ENV {string.Join(' ', env.Variables.Select(v => $"{v.Key}={v.Value}"))}");
                break;
            case LabelInstruction label:
                var labels = new SortedDictionary<string, string>(_config.Labels ?? new(), StringComparer.Ordinal);
                foreach (var (key, value) in label.Labels) labels[key] = value;
                _config = _config with { Labels = labels };
                Record($"LABEL {string.Join(' ', label.Labels.Select(l => $"{l.Key}={l.Value}"))}");
                break;
            case ArgInstruction arg:
                Record($"ARG {string.Join(' ', arg.Args.Select(a => a.DefaultValue is null ? a.Name : $"{a.Name}={a.DefaultValue}"))}");
                break;
            case WorkdirInstruction workdir:
                _config = _config with { WorkingDir = ResolveWorkingDirectory(workdir.Path) };
                if (addedLayer) RecordLayer($"WORKDIR {_config.WorkingDir}");
                else Record($"WORKDIR {_config.WorkingDir}");
                break;
            case UserInstruction user:
                _config = _config with { User = user.User };
                Record($"USER {user.User}");
                break;
            case ExposeInstruction expose:
                var ports = new SortedDictionary<string, EmptyObject>(_config.ExposedPorts ?? new(), StringComparer.Ordinal);
                foreach (string port in expose.Ports.SelectMany(p => ExposedPorts.Expand(p, Location(expose)))) ports[port] = new EmptyObject();
                _config = _config with { ExposedPorts = ports };
                Record($"EXPOSE {string.Join(' ', expose.Ports)}");
                break;
            case VolumeInstruction volume:
                var volumes = new SortedDictionary<string, EmptyObject>(_config.Volumes ?? new(), StringComparer.Ordinal);
                foreach (string path in volume.Paths) volumes[path] = new EmptyObject();
                _config = _config with { Volumes = volumes };
                Record($"VOLUME {Json(volume.Paths)}");
                break;
            case StopSignalInstruction stop:
                _config = _config with { StopSignal = stop.Signal };
                Record($"STOPSIGNAL {stop.Signal}");
                break;
            case MaintainerInstruction maintainer:
                Author = maintainer.Maintainer;
                Record($"MAINTAINER {maintainer.Maintainer}");
                break;
            case CmdInstruction cmd:
                _config = _config with { Cmd = CommandWords(cmd.Command) };
                _cmdSetInStage = true;
                Record($"CMD {Json(_config.Cmd!)}");
                break;
            case EntrypointInstruction entrypoint:
                // An inherited CMD was written for another entrypoint; one set in this stage stays.
                _config = _config with { Entrypoint = CommandWords(entrypoint.Command), Cmd = _cmdSetInStage ? _config.Cmd : null };
                Record($"ENTRYPOINT {Json(_config.Entrypoint!)}");
                break;
            case ShellInstruction shell:
                _config = _config with { Shell = shell.Shell.ToList() };
                Record($"SHELL {Json(shell.Shell)}");
                break;
            case HealthcheckInstruction health:
                _config = _config with { Healthcheck = Healthcheck(health) };
                Record($"HEALTHCHECK {(health.Disables ? "NONE" : Json(health.Test))}");
                break;
            case OnbuildInstruction onbuild:
                _config = _config with { OnBuild = [.. _config.OnBuild ?? [], onbuild.Expression] };
                Record($"ONBUILD {onbuild.Expression}");
                break;
            default:
                throw new ArgumentException($"{instruction.Keyword} does not only change the image configuration.", nameof(instruction));
        }
    }

    /// <summary>ContainerEnvironmentVariable items, set over the base image's (the list is written even when empty, as the SDK does).</summary>
    public void SetEnvironment(IReadOnlyList<KeyValuePair<string, string>> added)
    {
        var variables = new List<string>(_config.Env ?? []);
        foreach (var (name, value) in added)
        {
            if (name.Length == 0 || name.Contains('='))
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty,
                    $"ContainerEnvironmentVariable '{name}' is not a valid variable name: it must be non-empty and must not contain '='.");
            }
            EnvironmentEntries.Set(variables, name, value);
        }
        _config = _config with { Env = variables };
    }

    /// <summary>ContainerLabel items, set over the base image's.</summary>
    public void SetLabels(IReadOnlyList<KeyValuePair<string, string>> added)
    {
        if (_config.Labels is null && added.Count == 0) return;
        var labels = new SortedDictionary<string, string>(_config.Labels ?? new(), StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            if (key.Length == 0) throw new ContainerizeException(ErrorCodes.InvalidProperty, "A ContainerLabel item has an empty name; give every label a key.");
            labels[key] = value;
        }
        _config = _config with { Labels = labels };
    }

    /// <summary>ContainerPort items, one port each (ranges are a Dockerfile feature, not a ContainerPort one), added to the base image's.</summary>
    public void AddPorts(IReadOnlyList<string> added)
    {
        if (_config.ExposedPorts is null && added.Count == 0) return;
        var ports = new SortedDictionary<string, EmptyObject>(_config.ExposedPorts ?? new(), StringComparer.Ordinal);
        foreach (string port in added) ports[NormalizePort(port)] = new EmptyObject();
        _config = _config with { ExposedPorts = ports };
    }

    /// <summary>ContainerWorkingDirectory (absolute; the publish output's layer creates it).</summary>
    public void SetWorkingDirectory(string path) => _config = _config with { WorkingDir = path };

    /// <summary>ContainerUser; null keeps the base image's.</summary>
    public void SetUser(string? user) => _config = _config with { User = user ?? _config.User };

    /// <summary>ContainerEntrypoint and ContainerAppCommandArgs: a new entrypoint clears the base image's Cmd unless a Cmd is given, as Docker does.</summary>
    public void SetCommand(IReadOnlyList<string>? entrypoint, IReadOnlyList<string>? cmd) =>
        _config = _config with { Entrypoint = entrypoint ?? _config.Entrypoint, Cmd = cmd ?? (entrypoint is not null ? null : _config.Cmd) };

    private static string NormalizePort(string port)
    {
        if (!PortSpec.TryParse(port, out var ports) || ports.Count != 1)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"ContainerPort '{port}' is not valid: use a number from 1 to 65535 with Type tcp or udp (e.g. <ContainerPort Include=\"8080\" Type=\"tcp\" />).");
        }
        return ports[0];
    }

    /// <summary>Records the history entry of a step that added a layer (COPY, ADD, RUN).</summary>
    public void RecordLayer(string createdBy) => _history.Add(new HistoryEntry { Created = _created, CreatedBy = createdBy, Comment = _historyComment });

    private void Record(string createdBy) =>
        _history.Add(new HistoryEntry { Created = _created, CreatedBy = createdBy, Comment = _historyComment, EmptyLayer = true });

    /// <summary>Exec form as written; shell form through the stage's SHELL (default <c>/bin/sh -c</c>).</summary>
    public IReadOnlyList<string> CommandWords(CommandLine command) =>
        command.IsShellForm ? [.. _config.Shell ?? DefaultShell, string.Join(' ', command.Arguments)] : command.Arguments.ToList();

    private HealthConfig Healthcheck(HealthcheckInstruction health)
    {
        if (health.Disables) return new HealthConfig { Test = ["NONE"] };
        var inherited = _config.Healthcheck;
        static long Nanoseconds(TimeSpan t) => t.Ticks * 100;
        return new HealthConfig
        {
            Test = health.Test,
            Interval = health.Interval > TimeSpan.Zero ? Nanoseconds(health.Interval) : inherited?.Interval ?? 0,
            Timeout = health.Timeout > TimeSpan.Zero ? Nanoseconds(health.Timeout) : inherited?.Timeout ?? 0,
            StartPeriod = health.StartPeriod > TimeSpan.Zero ? Nanoseconds(health.StartPeriod) : inherited?.StartPeriod ?? 0,
            StartInterval = health.StartInterval > TimeSpan.Zero ? Nanoseconds(health.StartInterval) : inherited?.StartInterval ?? 0,
            Retries = health.Retries > 0 ? health.Retries : inherited?.Retries ?? 0,
        };
    }

    private SourceLocation Location(Instruction instruction) =>
        new(_dockerfilePath, instruction.Range.StartLine, instruction.Range.StartColumn);

    private static string Json(IEnumerable<string> words) => JsonSerializer.Serialize(words, OciJson.Context.IEnumerableString);
}
