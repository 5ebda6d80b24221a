using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Copy;

/// <summary>
/// The remote sources of one ADD, fetched before the copy (in source order) and removed from the
/// host when disposed. Checks first what BuildKit's Dockerfile frontend refuses: a URL or git
/// source in COPY, and --checksum with COPY, with several sources, or with a local source.
/// </summary>
internal sealed class FetchedSources : IDisposable
{
    private readonly Dictionary<int, FetchedSource> _bySourceIndex = [];

    private FetchedSources()
    {
    }

    public int Count => _bySourceIndex.Count;

    /// <summary>The fetched source for <c>request.Sources[index]</c>, or null when that source is local.</summary>
    public FetchedSource? At(int index) => _bySourceIndex.GetValueOrDefault(index);

    public static async Task<FetchedSources> FetchAsync(CopyRequest request, CopyErrors errors, CancellationToken ct)
    {
        var remotes = Classify(request, errors);
        var (httpChecksum, gitChecksum) = Checksum(request, remotes, errors);
        var fetched = new FetchedSources();
        try
        {
            foreach (var (index, remote) in remotes)
            {
                ct.ThrowIfCancellationRequested();
                fetched._bySourceIndex[index] = remote switch
                {
                    HttpSource http => await HttpSourceFetcher.FetchAsync(http, httpChecksum, request.NetworkIdleTimeout, errors, ct).ConfigureAwait(false),
                    GitSource git => await GitSourceFetcher.FetchAsync(git, gitChecksum, request.KeepGitDir, errors, ct).ConfigureAwait(false),
                    _ => throw new InvalidOperationException($"Unknown remote source {remote.GetType().Name}."),
                };
            }
            return fetched;
        }
        catch
        {
            fetched.Dispose();
            throw;
        }
    }

    private static List<(int Index, RemoteSource Source)> Classify(CopyRequest request, CopyErrors errors)
    {
        var remotes = new List<(int, RemoteSource)>();
        for (int i = 0; i < request.Sources.Count; i++)
        {
            if (RemoteSource.TryParse(request.Sources[i]) is not { } remote) continue;
            if (!request.IsAdd)
            {
                string kind = remote is GitSource ? "a git repository" : "a URL";
                throw errors.Create(ErrorCodes.CopyRemoteSource,
                    $"COPY cannot fetch '{remote.Display}': the source of COPY can't be {kind}. Use ADD to download it, or copy a file from the build context.");
            }
            remotes.Add((i, remote));
        }
        return remotes;
    }

    /// <summary>The parsed --checksum: a digest for a URL or a hex commit prefix for git (both null without the flag).</summary>
    private static (HttpChecksum? Http, string? Git) Checksum(CopyRequest request, List<(int Index, RemoteSource Source)> remotes, CopyErrors errors)
    {
        if (request.Checksum is not { } checksum) return (null, null);
        string instruction = request.InstructionName;
        if (!request.IsAdd)
        {
            throw errors.Create(ErrorCodes.InvalidAddChecksum, "--checksum can't be specified for COPY: it verifies what ADD downloads. Remove the flag or use ADD with a URL.");
        }
        if (request.Sources.Count != 1)
        {
            throw errors.Create(ErrorCodes.InvalidAddChecksum,
                $"--checksum can't be specified for multiple sources ({instruction} has {request.Sources.Count}): write one ADD --checksum=… per URL or git source.");
        }
        switch (remotes.Count == 1 ? remotes[0].Source : null)
        {
            case HttpSource:
                return (HttpChecksum.Parse(checksum, errors), null);
            case GitSource:
                GitSourceFetcher.ValidateChecksum(checksum, errors);
                return (null, checksum);
            default:
                throw errors.Create(ErrorCodes.InvalidAddChecksum,
                    $"--checksum requires an HTTP(S) URL or a git source, and '{request.Sources[0]}' is a local path. Remove --checksum; local files are already pinned by the build context.");
        }
    }

    public void Dispose()
    {
        foreach (var source in _bySourceIndex.Values) ScratchDirectory.DeleteTree(source.TemporaryDirectory);
        _bySourceIndex.Clear();
    }
}
