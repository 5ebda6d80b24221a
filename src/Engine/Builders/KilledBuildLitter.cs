using Containerize.Engine.Caching;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.Store;

namespace Containerize.Engine.Builders;

/// <summary>
/// Removes what builds of this user that were killed left behind: their scratch folders in the
/// temp folder, and the temporaries of the store, its step cache and its unpacked layers. Each
/// is named after the process that made it (<see cref="TemporaryName"/>), so what a running
/// build uses is never removed. Every entry point does it first; <c>containerize prune</c> too.
/// </summary>
public static class KilledBuildLitter
{
    /// <summary>Removes the litter; the store's own partial blobs went when it was opened (<see cref="BlobStore.ReclaimedOnOpen"/>).</summary>
    public static ReclaimedSpace Reclaim(BlobStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        // Rootless RUN steps leave files of the user's subordinate ids, which only the helper can remove.
        Action<string> removeTree = UserNamespaceFiles.For(UserNamespaceMapping.Detect()) is { } files ? files.RemoveTree : ScratchDirectory.DeleteTree;
        var reclaimed = ScratchDirectory.RemoveAbandoned(removeTree);
        reclaimed += new StepCache(store).ReclaimedOnOpen;
        foreach (var unpacked in store.Layout.ExistingUnpacked())
        {
            reclaimed += TemporaryName.RemoveAbandonedIn(unpacked.TempFolder, removeTree);
        }
        return reclaimed;
    }

    /// <summary>What <c>prune</c> says it removed.</summary>
    public static string Describe(ReclaimedSpace reclaimed) =>
        reclaimed.Entries == 0 ? "Leftovers of killed builds: none"
            : $"Leftovers of killed builds: removed {reclaimed.Entries} scratch folder{(reclaimed.Entries == 1 ? "" : "s")} and partial files, freed {ByteSize.Format(reclaimed.Bytes)}";
}
