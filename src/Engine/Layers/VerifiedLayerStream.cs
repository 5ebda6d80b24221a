using System.Buffers;
using System.Security.Cryptography;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.Layers;

/// <summary>
/// The uncompressed tar of a layer blob in the store, checked as it is read, the same for every
/// reader (RUN's unpack, the COPY index, COPY --from, <c>containerize run</c>): the media type must be
/// a layer's, gzip must be whole (every member's CRC-32 and ISIZE, no truncation, nothing after the
/// last member), and <see cref="VerifyToEnd"/> hashes what is left and refuses a diff ID other than
/// the image config's. A damaged stream is a <see cref="ErrorCodes.CorruptLayer"/> naming the layer,
/// never a raw stream exception. What was read from a layer is trusted only after VerifyToEnd.
/// </summary>
internal sealed class VerifiedLayerStream : ReadOnlyStream
{
    private readonly Layer _layer;
    private readonly Stream _tar;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private VerifiedLayerStream(Layer layer, Stream tar)
    {
        _layer = layer;
        _tar = tar;
    }

    public static VerifiedLayerStream Open(BlobStore store, Layer layer)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layer);
        LayerMediaType.EnsureSupported(layer.Descriptor, image: null);
        var blob = store.OpenRead(layer.Descriptor.Digest);
        try
        {
            return new VerifiedLayerStream(layer, Guarded(layer, () => LayerCompression.OpenTar(blob)));
        }
        catch
        {
            blob.Dispose();
            throw;
        }
    }

    /// <summary>Opens the layer, gives its tar to <paramref name="read"/>, then verifies the rest; errors name the layer.</summary>
    public static T Read<T>(BlobStore store, Layer layer, Func<Stream, T> read, CancellationToken cancellationToken) =>
        NamingLayer(layer, () =>
        {
            using var tar = Open(store, layer);
            T result = read(tar);
            tar.VerifyToEnd(cancellationToken);
            return result;
        });

    /// <summary>As <see cref="Read"/>, for a reader that stops early (one entry of a layer verified before): the stream is checked, the diff ID is not.</summary>
    public static T ReadPart<T>(BlobStore store, Layer layer, Func<Stream, T> read) =>
        NamingLayer(layer, () =>
        {
            using var tar = Open(store, layer);
            return read(tar);
        });

    /// <summary>Runs <paramref name="read"/>, giving its errors about entries (which know only entry names) the layer's digest.</summary>
    public static T NamingLayer<T>(Layer layer, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ContainerizeException e) when (!e.Message.Contains(layer.Descriptor.Digest.ToString(), StringComparison.Ordinal))
        {
            throw new ContainerizeException(e.Code, $"{e.Message} (layer {layer.Descriptor.Digest})", e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _tar.Read(buffer);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw Damaged(_layer, e);
        }
        _hash.AppendData(buffer[..read]);
        return read;
    }

    /// <summary>Reads what the tar reader left (after the end-of-archive marker) and refuses a diff ID other than the layer's.</summary>
    public void VerifyToEnd(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (Read(buffer, 0, buffer.Length) > 0) cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var actual = Digest.FromHash("sha256", _hash.GetHashAndReset());
        if (actual != _layer.DiffId)
        {
            throw new ContainerizeException(ErrorCodes.UnpackedLayerMismatch,
                $"The layer {_layer.Descriptor.Digest} unpacks to content with diff ID {actual}, not the {_layer.DiffId} the image config names. "
                + "The blob in the store is corrupt or belongs to another image; remove it from the store and pull the image again.");
        }
    }

    private static Stream Guarded(Layer layer, Func<Stream> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw Damaged(layer, e);
        }
    }

    /// <summary>The blob matched its digest when it was stored: the damage was published with the image (or the store was changed since).</summary>
    private static ContainerizeException Damaged(Layer layer, Exception e) =>
        new(ErrorCodes.CorruptLayer,
            $"The layer {layer.Descriptor.Digest} ({layer.Descriptor.MediaType}) cannot be read: {e.Message}. "
            + "The image was published with a damaged layer, or the blob in the store was changed: use another image or ask its publisher to rebuild it, or remove the blob from the store and pull again.", e);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _tar.Dispose();
        }
        base.Dispose(disposing);
    }
}
