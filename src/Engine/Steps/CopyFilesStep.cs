using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Steps;

/// <summary>
/// COPY or ADD, keyed by the sources' content (or the --from stage's key or image's digest) with
/// the instruction's words and flags. ADD's URLs and git sources without --checksum are fetched
/// while keying, since what they hold is only known then; with --checksum, the checksum names it.
/// COPY --link copies onto an empty filesystem, so its layer (and key) fit any base; a --chown by
/// name needs the image's /etc/passwd, so such a copy is made as without --link.
/// </summary>
internal sealed class CopyFilesStep(PlannedStep step, SourceLocation location, StepServices services) : BuildStep
{
    private readonly FileTransfer _files = step.Instruction is CopyInstruction copy ? copy.Files : ((AddInstruction)step.Instruction).Files;
    private readonly AddInstruction? _add = step.Instruction as AddInstruction;
    private StageBase? _source;
    private string? _identity;
    private CopyRequest? _request;
    private FetchedSources? _fetched;

    /// <summary>As BuildKit writes it: the sources (heredocs as &lt;&lt;NAME) and the destination.</summary>
    public override string Description =>
        $"{step.Instruction.Keyword} {string.Join(' ', _files.SourcePaths.Concat(_files.SourceContents.Select(h => "<<" + h.Path)).Append(_files.Destination))}";

    private bool Link => _files.Link && !NamesAnOwner(_files.Chown);

    public override async Task<Digest?> KeyAsync(StepContext context)
    {
        var ct = context.Cancellation;
        string? from = step.Instruction is CopyInstruction copy ? copy.From : null;
        _source = from is null ? null : step.Sources[from];
        _identity = await services.Sources.IdentityAsync(_source, context.Platform, ct).ConfigureAwait(false);
        var (directory, filter) = _identity is null ? await services.Sources.ResolveAsync(_source, context.Platform, location, ct).ConfigureAwait(false) : ("", null);
        var request = _request = new CopyRequest
        {
            Sources = _files.SourcePaths,
            Destination = _files.Destination,
            WorkingDirectory = context.Config.WorkingDirectory,
            SourceRoot = directory,
            SourceFilter = filter,
            Excludes = _files.Excludes,
            Parents = step.Instruction is CopyInstruction { Parents: true },
            Chown = _files.Chown,
            Chmod = _files.Chmod,
            IsAdd = _add is not null,
            Checksum = _add?.Checksum,
            KeepGitDir = _add?.KeepGitDir ?? false,
            Unpack = _add?.Unpack,
            Heredocs = _files.SourceContents.Select(h => new HeredocFile(h.Path, h.Data)).ToList(),
            SourceDateEpoch = services.SourceDateEpoch,
            NetworkIdleTimeout = services.Settings.Registry.ResolveIdleTimeout(),
            Location = location,
        };
        bool fetchFirst = _add is not null && _add.Checksum is null && _files.SourcePaths.Any(p => RemoteSource.TryParse(p) is not null);
        _fetched = fetchFirst ? await FetchedSources.FetchAsync(request, new CopyErrors(location), ct).ConfigureAwait(false) : null;
        var fetchedContent = new Dictionary<int, Digest>();
        for (int i = 0; _fetched is not null && i < _files.SourcePaths.Count; i++)
        {
            if (_fetched.At(i) is { } remote) fetchedContent[i] = CopySourceChecksum.ComputePath(remote.HostPath, "", null, services.Hasher, ct);
        }
        return await Task.Run(() => Key(context.Parent, request, fetchedContent, ct), ct).ConfigureAwait(false);
    }

    public override async Task<StepOutput> ExecuteAsync(StepContext context)
    {
        var ct = context.Cancellation;
        var request = _request ?? throw new InvalidOperationException("A copy runs the request its key was computed from: ask for the key first.");
        var target = Link ? EmptyImageFileSystem.Instance : await context.FileSystem().ConfigureAwait(false);
        var resolved = _identity is null ? request : request with { SourceRoot = (await services.Sources.ResolveAsync(_source, context.Platform, location, ct).ConfigureAwait(false)).Directory };
        var layer = _fetched is not null
            ? await FileCopier.CopyAsync(resolved, _fetched, target, services.Settings.Store, ct).ConfigureAwait(false)
            : await FileCopier.CopyAsync(resolved, target, services.Settings.Store, ct).ConfigureAwait(false);
        return new StepOutput(layer, Description);
    }

    public override void Record(StageConfigBuilder config, StepOutput? output) => config.RecordLayer(output!.History);

    public override void Dispose()
    {
        _fetched?.Dispose();
        base.Dispose();
    }

    /// <summary>With --link the key leaves the parent out: the layer is made on an empty filesystem and fits any base.</summary>
    private Digest Key(Digest parent, CopyRequest request, IReadOnlyDictionary<int, Digest> fetched, CancellationToken ct)
    {
        string content = _identity ?? CopySourceChecksum.Compute(request, services.Hasher, ct).ToString();
        return CacheKeyBuilder.Of(step.Instruction.Keyword, k => k
            .Add(Link ? "link" : parent.ToString())
            .Add(services.BuildWide)
            .Add(request.Sources)
            .Add(request.Heredocs.Select(h => h.Name + "\n" + h.Content))
            .Add(request.Destination)
            .Add(request.WorkingDirectory)
            .Add(request.Chown)
            .Add(request.Chmod)
            .Add(request.Excludes)
            .Add(request.Parents)
            .Add(_files.Link)
            .Add(request.Checksum)
            .Add(request.KeepGitDir)
            .Add(request.Unpack?.ToString())
            .Add(content)
            .Add(fetched.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}")));
    }

    /// <summary>Whether --chown names a user or group (looked up in the image) rather than numeric ids.</summary>
    private static bool NamesAnOwner(string? chown) =>
        !string.IsNullOrEmpty(chown) && chown.Split(':').Any(part => !part.All(char.IsAsciiDigit));
}
