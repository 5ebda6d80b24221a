using Containerize.Engine.IO;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Store;

/// <summary>
/// Removes a layer from the store with everything derived from it: its blob, its header listing
/// and the trees unpacked from it for RUN, in every overlay flavour and over every chain below it.
/// The step-cache pruner decides which layers go; this is the one place that knows where they lie.
/// </summary>
public static class LayerRemoval
{
    /// <summary>The bytes of the blob freed; null when the blob was absent or could not be deleted (then nothing else is removed).</summary>
    public static long? TryRemove(BlobStore store, Digest blob, Digest? diffId)
    {
        ArgumentNullException.ThrowIfNull(store);
        string path = store.Layout.BlobPath(blob);
        if (!File.Exists(path)) return null;
        long size = new FileInfo(path).Length;
        if (!BestEffortDelete.File(path)) return null;
        BestEffortDelete.File(store.Layout.LayerHeadersPath(blob));
        if (diffId is { } id) RemoveUnpackedTrees(store.Layout, id);
        return size;
    }

    /// <summary>Renamed away first, so no half-deleted tree is ever found in place.</summary>
    private static void RemoveUnpackedTrees(StoreLayout layout, Digest diffId)
    {
        foreach (var flavour in layout.ExistingUnpacked())
        {
            string trees = flavour.DiffIdFolder(diffId);
            if (!Directory.Exists(trees)) continue;
            string doomed = Path.Combine(flavour.TempFolder, TemporaryName.Create($"{diffId.Hex}.pruned-"));
            try
            {
                Directory.CreateDirectory(flavour.TempFolder);
                Directory.Move(trees, doomed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            ScratchDirectory.DeleteTree(doomed);
        }
    }
}
