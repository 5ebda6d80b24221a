using System.Globalization;
using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Solver;

/// <summary>
/// Cache keys as BuildKit derives them: a stage starts from its base (the manifest digest and
/// platform of an image, the final key of an earlier stage, a constant for scratch); each step's
/// key is the key before it, the step's normalized instruction (expanded words, flags, and the
/// environment, user, working directory and shell it runs with) and the content of its inputs.
/// After a step, the chain goes on from the step's key and its layer's diff ID, so a step that ran
/// again (no-cache) and made a different layer invalidates what follows, and one that made the same
/// layer does not. Every key also holds what changes layers build-wide: SOURCE_DATE_EPOCH and
/// whether files can be given their owners (root).
///
/// Sources read by <c>--from</c> enter a key by identity, not content: a stage by its final key,
/// an image by its manifest digest. Both determine the content exactly, and a hit then never
/// unpacks the stage or downloads the image. Directories (the context, named contexts such as
/// <c>publish</c>) enter by the checksum of what the step selects.
/// </summary>
internal sealed class StepKeys(StageSources sources, RegistryBaseImageResolver images, ContentHasher hasher, DateTimeOffset? sourceDateEpoch, ContainerNetwork runNetwork)
{
    private static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    private string BuildWide => string.Create(CultureInfo.InvariantCulture,
        $"epoch={sourceDateEpoch?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "none"} owners={(LibC.IsRoot ? "kept" : "mapped")}");

    public Digest Scratch(Platform platform) => CacheKeyBuilder.Of("scratch", k => k.Add(BuildWide).Add(platform.ToString()));

    public Digest Image(Digest manifestDigest, Platform platform) =>
        CacheKeyBuilder.Of("image", k => k.Add(BuildWide).Add(manifestDigest).Add(platform.ToString()));

    /// <summary>A metadata instruction (ENV, LABEL, USER, …) by the history text it records, which holds its expanded values.</summary>
    public static Digest Metadata(Digest parent, string history) => CacheKeyBuilder.Of("metadata", k => k.Add(parent).Add(history));

    /// <summary>The chain after a step that ran or came from the cache.</summary>
    public static Digest After(Digest parent, Digest stepKey, Layer? layer) =>
        CacheKeyBuilder.Of("after", k => k.Add(parent).Add(stepKey).Add(layer?.DiffId.ToString() ?? "no layer"));

    public Digest Workdir(Digest parent, string path, string? user) =>
        CacheKeyBuilder.Of("WORKDIR", k => k.Add(parent).Add(BuildWide).Add(path).Add(user ?? ""));

    /// <summary>
    /// COPY/ADD. With <paramref name="link"/> (COPY --link) the key leaves the parent out: the layer
    /// is made on an empty filesystem and fits any base.
    /// </summary>
    /// <param name="sourceIdentity">A stage's key or an image's digest for --from; null when <paramref name="request"/> reads a directory.</param>
    /// <param name="fetched">ADD: the checksums of fetched URLs and git checkouts, by source index.</param>
    public Digest Copy(Digest parent, Instruction instruction, CopyRequest request, bool link, string? sourceIdentity,
        IReadOnlyDictionary<int, Digest> fetched, CancellationToken ct)
    {
        var files = instruction is CopyInstruction copy ? copy.Files : ((AddInstruction)instruction).Files;
        string content = sourceIdentity ?? CopySourceChecksum.Compute(request, hasher, ct).ToString();
        return CacheKeyBuilder.Of(instruction.Keyword, k => k
            .Add(link ? "link" : parent.ToString())
            .Add(BuildWide)
            .Add(request.Sources)
            .Add(request.Heredocs.Select(h => h.Name + "\n" + h.Content))
            .Add(request.Destination)
            .Add(request.WorkingDirectory)
            .Add(request.Chown)
            .Add(request.Chmod)
            .Add(request.Excludes)
            .Add(request.Parents)
            .Add(files.Link)
            .Add(request.Checksum)
            .Add(request.KeepGitDir)
            .Add(request.Unpack?.ToString())
            .Add(content)
            .Add(fetched.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}")));
    }

    /// <summary>
    /// RUN: the command as it runs (shell, heredoc script), its environment (image ENV and build
    /// args in scope; proxy args stay out, as in Docker), user, working directory, the network it
    /// runs on (without <c>--network</c>, the build's default), security mode, and each mount's specification. Bind mounts, and cache mounts seeded with
    /// from=, add their source's content or identity (a cache's own content stays out, as in
    /// BuildKit); secrets and SSH agents only their id and target, never their value.
    /// </summary>
    public async Task<Digest> RunAsync(Digest parent, PlannedStep step, ContainerConfig config, string workingDirectory,
        Platform platform, SourceLocation location, CancellationToken ct)
    {
        var run = (RunInstruction)step.Instruction;
        var environment = RunCommand.Environment(config.Env, step.Args, []);
        var command = RunCommand.Create(run, config.Shell ?? DefaultShell, environment, step.Args);
        var mounts = new List<string>();
        foreach (var mount in run.Mounts)
        {
            mounts.Add(mount.ToString());
            // A bind mount shows its source; a cache mount with from= starts as a copy of it.
            if (mount is BindMount bind) mounts.Add(await SourceContentAsync(bind.From, bind.Source, step, platform, location, ct).ConfigureAwait(false));
            if (mount is CacheMount { From: not null } seeded) mounts.Add(await SourceContentAsync(seeded.From, seeded.Source, step, platform, location, ct).ConfigureAwait(false));
        }
        return CacheKeyBuilder.Of("RUN", k => k
            .Add(parent)
            .Add(BuildWide)
            .Add(command.Argv)
            .Add(command.Script?.Name)
            .Add(command.Script?.Content)
            .Add(command.History)
            .Add(environment)
            .Add(config.User ?? "")
            .Add(workingDirectory)
            // "network=": records from before steps got a network of their own (keyed "Default" on the host's) never hit.
            .Add("network=" + RunEntitlements.Network(run.Network, runNetwork))
            .Add(run.Security.ToString())
            .Add(mounts));
    }

    /// <summary>What identifies a --from source without reading it: a stage's final key, an image's manifest digest; null for directories.</summary>
    public async Task<string?> IdentityAsync(StageBase? source, Platform platform, CancellationToken ct) => source switch
    {
        StageReference stage => "stage " + (await sources.StageAsync(stage.StageIndex, ct).ConfigureAwait(false)).CacheKey,
        ImageBase image => "image " + (await images.ResolveAsync(image.Reference, platform, ct).ConfigureAwait(false)).ManifestDigest + " " + platform,
        ScratchBase => "scratch",
        _ => null,
    };

    private async Task<string> SourceContentAsync(string? from, string? path, PlannedStep step, Platform platform, SourceLocation location, CancellationToken ct)
    {
        var source = from is null ? null : step.Sources[from];
        if (await IdentityAsync(source, platform, ct).ConfigureAwait(false) is { } identity) return identity;
        var (directory, filter) = await sources.ResolveAsync(source, platform, location, ct).ConfigureAwait(false);
        var root = new SourceRoot(directory, new CopyErrors(location));
        string host = root.Resolve(path ?? "", path ?? "/");
        return CopySourceChecksum.ComputePath(host, root.Relative(host), filter, hasher, ct).ToString();
    }
}
