using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Steps;

/// <summary>
/// RUN, keyed by the command as it runs (shell, heredoc script), its environment (image ENV and
/// build args in scope; proxy args stay out, as in Docker), user, working directory, the network it
/// runs on (without <c>--network</c>, the build's default), security mode, and each mount's
/// specification. Bind mounts, and cache mounts seeded with from=, add their source's content or
/// identity (a cache's own content stays out, as in BuildKit); secrets and SSH agents only their id
/// and target, never their value. <see cref="RunStep"/> runs it.
/// </summary>
internal sealed class RunInstructionStep(PlannedStep step, SourceLocation location, StepServices services, RunStep runStep) : BuildStep
{
    private static readonly string[] DefaultShell = ["/bin/sh", "-c"];
    private readonly RunInstruction _run = (RunInstruction)step.Instruction;
    private RunCommand? _command;

    public override string Description => "RUN " + string.Join(' ', _run.Command.Arguments);

    public override async Task<Digest?> KeyAsync(StepContext context)
    {
        var config = context.Config.Config;
        var environment = RunCommand.Environment(config.Env, step.Args, []);
        var command = _command = RunCommand.Create(_run, config.Shell ?? DefaultShell, environment, step.Args);
        var mounts = new List<string>();
        foreach (var mount in _run.Mounts)
        {
            mounts.Add(mount.ToString());
            // A bind mount shows its source; a cache mount with from= starts as a copy of it.
            if (mount is BindMount bind) mounts.Add(await SourceContentAsync(bind.From, bind.Source, context).ConfigureAwait(false));
            if (mount is CacheMount { From: not null } seeded) mounts.Add(await SourceContentAsync(seeded.From, seeded.Source, context).ConfigureAwait(false));
        }
        return CacheKeyBuilder.Of("RUN", k => k
            .Add(context.Parent)
            .Add(services.BuildWide)
            .Add(command.Argv)
            .Add(command.Script?.Name)
            .Add(command.Script?.Content)
            .Add(command.History)
            .Add(environment)
            .Add(config.User ?? "")
            .Add(context.Config.WorkingDirectory)
            // "network=": records from before steps got a network of their own (keyed "Default" on the host's) never hit.
            .Add("network=" + RunEntitlements.Network(_run.Network, services.Settings.RunNetwork))
            .Add(_run.Security.ToString())
            .Add(mounts));
    }

    public override async Task<StepOutput> ExecuteAsync(StepContext context)
    {
        var command = _command ?? throw new InvalidOperationException("RUN runs the command its key was computed from: ask for the key first.");
        var (layer, history) = await runStep.RunAsync(step, command, context.Layers(), context.Config.Config, context.Config.WorkingDirectory,
            context.Platform, context.Label, location, context.Cancellation).ConfigureAwait(false);
        return new StepOutput(layer, history);
    }

    public override void Record(StageConfigBuilder config, StepOutput? output) => config.RecordLayer(output!.History);

    private async Task<string> SourceContentAsync(string? from, string? path, StepContext context)
    {
        var source = from is null ? null : step.Sources[from];
        var sources = services.Sources;
        if (await sources.IdentityAsync(source, context.Platform, context.Cancellation).ConfigureAwait(false) is { } identity) return identity;
        var (directory, filter) = await sources.ResolveAsync(source, context.Platform, location, context.Cancellation).ConfigureAwait(false);
        var root = new SourceRoot(directory, new CopyErrors(location));
        string host = root.Resolve(path ?? "", path ?? "/");
        return CopySourceChecksum.ComputePath(host, root.Relative(host), filter, services.Hasher, context.Cancellation).ToString();
    }
}
