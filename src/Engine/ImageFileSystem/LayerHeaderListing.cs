using System.Text;
using Containerize.Engine.IO;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;

namespace Containerize.Engine.ImageFileSystem;

/// <summary>
/// The entry headers of a layer (name, type, mode, owner, size, link target, in tar order), kept in
/// the store beside its blob (<c>layer-headers/sha256/&lt;digest&gt;</c>) once the layer has been read:
/// indexing a layer again — every COPY that misses the cache indexes the image it copies into —
/// reads this short listing instead of decompressing the whole layer. A layer's digest names its
/// bytes, so a listing never goes stale; one that cannot be read is rebuilt from the layer.
/// </summary>
internal static class LayerHeaderListing
{
    private const string Magic = "containerize layer headers 2";

    public static string PathFor(BlobStore store, Digest layer) => store.Layout.LayerHeadersPath(layer);

    /// <summary>
    /// The layer's headers, from its listing, else from the layer, read to its end and verified
    /// against the diff ID before the listing is written: a listing is only ever of a verified layer.
    /// </summary>
    public static IReadOnlyList<TarEntry> Read(BlobStore store, Layer layer, CancellationToken ct)
    {
        string path = PathFor(store, layer.Descriptor.Digest);
        if (TryLoad(path, layer.DiffId) is { } listed) return listed;
        var entries = VerifiedLayerStream.Read(store, layer, tar =>
        {
            var found = new List<TarEntry>();
            var reader = new LayerTarReader(tar);
            while (reader.ReadNext() is { } entry)
            {
                ct.ThrowIfCancellationRequested();
                found.Add(entry);
            }
            return found;
        }, ct);
        TrySave(store, path, layer.DiffId, entries);
        return entries;
    }

    /// <summary>Null unless the listing was written for a layer verified against this diff ID (a blob listed under a lying config proves nothing for another).</summary>
    private static List<TarEntry>? TryLoad(string path, Digest diffId)
    {
        try
        {
            using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadString() != diffId.ToString()) return null;
            int count = reader.ReadInt32();
            var entries = new List<TarEntry>(count);
            for (int i = 0; i < count; i++)
            {
                entries.Add(new TarEntry
                {
                    Name = reader.ReadString(),
                    Type = (TarEntryType)reader.ReadByte(),
                    Mode = reader.ReadInt32(),
                    Uid = reader.ReadInt64(),
                    Gid = reader.ReadInt64(),
                    Size = reader.ReadInt64(),
                    LinkName = reader.ReadString(),
                });
            }
            return entries;
        }
        catch (Exception)
        {
            return null; // absent, truncated, garbled or unreadable: read from the layer
        }
    }

    /// <summary>Written in the store's temporary folder and renamed into place, so a reader finds a whole listing or none; a store it cannot write to just goes without.</summary>
    private static void TrySave(BlobStore store, string path, Digest diffId, List<TarEntry> entries)
    {
        string temporary = Path.Combine(store.TempDirectory, TemporaryName.Create("headers-"));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var writer = new BinaryWriter(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(diffId.ToString());
                writer.Write(entries.Count);
                foreach (var entry in entries)
                {
                    writer.Write(entry.Name);
                    writer.Write((byte)entry.Type);
                    writer.Write(entry.Mode);
                    writer.Write(entry.Uid);
                    writer.Write(entry.Gid);
                    writer.Write(entry.Size);
                    writer.Write(entry.LinkName);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (Exception) { }
        }
    }
}
