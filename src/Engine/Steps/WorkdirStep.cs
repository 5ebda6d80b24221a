using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// WORKDIR: sets the working directory and creates it (a layer only when it was missing), keyed by
/// the path and the user that owns what it creates. WORKDIR / changes the configuration only.
/// </summary>
internal sealed class WorkdirStep(WorkdirInstruction workdir, SourceLocation location, StepServices services) : BuildStep
{
    public override string Description => $"WORKDIR {workdir.Path}";

    public override Task<Digest?> KeyAsync(StepContext context)
    {
        string path = context.Config.ResolveWorkingDirectory(workdir.Path);
        if (path == "/") return Task.FromResult<Digest?>(null);
        string user = context.Config.Config.User ?? "";
        return Task.FromResult<Digest?>(CacheKeyBuilder.Of("WORKDIR", k => k.Add(context.Parent).Add(services.BuildWide).Add(path).Add(user)));
    }

    public override async Task<StepOutput> ExecuteAsync(StepContext context)
    {
        string path = context.Config.ResolveWorkingDirectory(workdir.Path);
        var fileSystem = await context.FileSystem().ConfigureAwait(false);
        var made = DirectoryMaker.MakeDirectory(path, context.Config.Config.User, fileSystem, services.Settings.Store, services.SourceDateEpoch, location, context.Cancellation);
        return new StepOutput(made, $"WORKDIR {path}");
    }

    public override void Record(StageConfigBuilder config, StepOutput? output) => config.Apply(workdir, addedLayer: output?.Layer is not null);
}
