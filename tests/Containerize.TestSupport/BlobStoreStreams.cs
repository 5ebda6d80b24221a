using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.TestSupport;

/// <summary>Puts a stream into a store the way downloads do: through a blob writer that verifies the digest.</summary>
public static class BlobStoreStreams
{
    /// <summary>Copies a stream into the store, verifying it against <paramref name="expected"/>.</summary>
    public static async Task<Digest> PutAsync(this BlobStore store, Stream content, Digest expected, CancellationToken cancellationToken)
    {
        using var writer = store.CreateWriter(expected.Algorithm);
        await content.CopyToAsync(writer, 1 << 16, cancellationToken).ConfigureAwait(false);
        return writer.Commit(expected);
    }
}
