using System.IO.Compression;
using Containerize.Engine.ImageFileSystem;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.ImageFileSystem;

/// <summary>A temp folder with a blob store, and ways to put layers written by GNU tar or Python's tarfile into it.</summary>
internal sealed class ImageFsFixture : IDisposable
{
    private readonly TempDirectory _temp = new("ctz-imgfs");
    private int _count;

    public ImageFsFixture() => Store = new BlobStore(_temp.Combine("store"));

    public BlobStore Store { get; }

    /// <summary>A gzip layer GNU tar makes from a tree that <paramref name="populate"/> fills.</summary>
    public Layer GnuTarLayer(Action<string> populate)
    {
        string tree = _temp.Combine($"tree{++_count}");
        Directory.CreateDirectory(tree);
        populate(tree);
        string archive = _temp.Combine($"layer{_count}.tar.gz");
        ExternalTool.RunChecked("tar", "--numeric-owner", "-czf", archive, "-C", tree, ".");
        return Add(File.ReadAllBytes(archive), MediaTypes.OciLayerGzip);
    }

    /// <summary>A layer Python's tarfile writes from exact entries (whiteouts, hard links, odd names).</summary>
    public Layer PythonLayer(bool gzip, params PythonTar.Entry[] entries)
    {
        string archive = _temp.Combine($"layer{++_count}.tar");
        PythonTar.Write(archive, "pax", gzip, entries);
        return Add(File.ReadAllBytes(archive), gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer);
    }

    public Layer PythonLayer(params PythonTar.Entry[] entries) => PythonLayer(gzip: false, entries);

    /// <summary>A layer made by a Python script that writes a tar to the path in sys.argv[1].</summary>
    public Layer ScriptedLayer(string script)
    {
        string archive = _temp.Combine($"layer{++_count}.tar.gz");
        ExternalTool.RunChecked("python3", "-c", script, archive);
        return Add(File.ReadAllBytes(archive), MediaTypes.OciLayerGzip);
    }

    /// <summary>A blob as a layer whose config names <paramref name="diffId"/>, by default the digest of the tar .NET's lenient GZipStream reads from it.</summary>
    public Layer Add(byte[] blob, string mediaType = MediaTypes.OciLayerGzip, Digest? diffId = null) =>
        new(new Descriptor { MediaType = mediaType, Digest = Store.Put(blob), Size = blob.Length }, diffId ?? LenientDiffId(blob));

    public static Digest LenientDiffId(byte[] blob)
    {
        try
        {
            using var tar = blob is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(blob), CompressionMode.Decompress) : (Stream)new MemoryStream(blob);
            using var plain = new MemoryStream();
            tar.CopyTo(plain);
            return Digest.Sha256(plain.ToArray());
        }
        catch (InvalidDataException)
        {
            return Digest.Sha256(blob); // damaged beyond what GZipStream reads: the reader refuses it before any diff ID
        }
    }

    public LayeredImageFileSystem Load(params Layer[] layers) =>
        LayeredImageFileSystem.LoadAsync(layers, Store, CancellationToken.None).GetAwaiter().GetResult();

    public static string Text(byte[]? bytes) => bytes is null ? "(null)" : System.Text.Encoding.UTF8.GetString(bytes);

    public void Dispose() => _temp.Dispose();
}
