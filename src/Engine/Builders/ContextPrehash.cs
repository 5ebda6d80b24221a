using Containerize.Engine.Copy;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Planning;
using Containerize.Engine.Solver;

namespace Containerize.Engine.Builders;

/// <summary>
/// Hashes, from the start of the build and beside it, the build-context files that the plan's COPY
/// and ADD steps select (from the context or a named context folder), so that when a step's cache
/// key is computed their checksums are ready: the hasher remembers them for the build. One step's
/// selection at a time, in the background, stopped with the build (<see cref="BackgroundWork"/>).
/// </summary>
internal static class ContextPrehash
{
    public static BackgroundWork Start(BuildPlan plan, Func<StageBase?, (string Directory, Context.IgnorePatterns? Filter)?> contextOf, ContentHasher hasher, CancellationToken ct)
    {
        var requests = Requests(plan, contextOf).ToList();
        return BackgroundWork.Start(stop => requests.Count == 0 ? Task.CompletedTask : Task.Run(() =>
        {
            foreach (var request in requests)
            {
                if (stop.IsCancellationRequested) return;
                try
                {
                    CopySourceChecksum.Compute(request, hasher, stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The step computes this again and reports what is wrong, where.
                }
            }
        }, stop), ct);
    }

    /// <summary>What each context-reading COPY or ADD of the plan selects, in plan order (the order the steps come in).</summary>
    internal static IEnumerable<CopyRequest> Requests(BuildPlan plan, Func<StageBase?, (string Directory, Context.IgnorePatterns? Filter)?> contextOf)
    {
        foreach (var step in plan.Stages.SelectMany(s => s.Steps))
        {
            var (files, from, parents, isAdd) = step.Instruction switch
            {
                CopyInstruction copy => (copy.Files, copy.From, copy.Parents, false),
                AddInstruction add => (add.Files, null, false, true),
                _ => (null, null, false, false),
            };
            if (files is null || files.SourcePaths.Count == 0) continue;
            if (contextOf(from is null ? null : step.Sources[from]) is not { } context) continue;
            yield return new CopyRequest
            {
                Sources = files.SourcePaths,
                Destination = files.Destination,
                SourceRoot = context.Directory,
                SourceFilter = context.Filter,
                Excludes = files.Excludes,
                Parents = parents,
                Chmod = files.Chmod,
                IsAdd = isAdd,
            };
        }
    }
}
