using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Copy;

/// <summary>
/// <c>mkdir -p</c> as a layer, which WORKDIR needs when its directory is missing: the missing
/// directories (0755, owned by the stage's USER as BuildKit does) and nothing else.
/// </summary>
public static class DirectoryMaker
{
    /// <param name="user">The stage's USER (name or id, optionally :group), or null for root.</param>
    /// <returns>The layer, or null when the directory already exists in the image.</returns>
    public static Layer? MakeDirectory(string path, string? user, IImageFileSystem image, BlobStore store, DateTimeOffset? created, SourceLocation? location, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.IsDirectory(path)) return null;
        var owner = CopyOwner.Resolve(user, image, new CopyErrors(location));
        var tree = new CopyTree(image, owner, created?.ToUnixTimeSeconds() ?? 0);
        tree.EnsureDirectory(path);
        return CopyLayerWriter.Write(tree.InLayerOrder(), store, ct);
    }
}
