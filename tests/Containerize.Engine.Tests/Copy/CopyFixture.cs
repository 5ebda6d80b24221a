using Containerize.Engine.Copy;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Copy;

/// <summary>A build context in a temp folder, an image below the copy, a blob store, and GNU tar to judge the layer.</summary>
internal sealed class CopyFixture : IDisposable
{
    private readonly TempDirectory _temp = new("ctz-copy");

    public CopyFixture()
    {
        Context = _temp.Combine("context");
        Directory.CreateDirectory(Context);
        Store = new BlobStore(_temp.Combine("store"));
    }

    public string Context { get; }

    public BlobStore Store { get; }

    public DictionaryImageFileSystem Image { get; } = new();

    public string TempPath(string name) => _temp.Combine(name);

    public string PathIn(string relative) => Path.Combine(Context, relative);

    public string Write(string relative, string content = "content")
    {
        string path = PathIn(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Symlink(string relative, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathIn(relative))!);
        File.CreateSymbolicLink(PathIn(relative), target);
    }

    public CopyRequest Request(string destination, params string[] sources) =>
        new() { Sources = sources, Destination = destination, SourceRoot = Context };

    public Layer Copy(CopyRequest request) => FileCopier.CopyAsync(request, Image, Store, CancellationToken.None).GetAwaiter().GetResult();

    public Layer Copy(string destination, params string[] sources) => Copy(Request(destination, sources));

    public Diagnostics.ContainerizeException Fails(CopyRequest request) => Assert.ThrowsExactly<Diagnostics.ContainerizeException>(() => Copy(request));

    /// <summary>GNU tar's listing of the layer blob, by entry name.</summary>
    public Dictionary<string, TarListing> Entries(Layer layer) =>
        ExternalTool.RunChecked("tar", "--numeric-owner", "--full-time", "-tvzf", Store.PathFor(layer.Descriptor.Digest))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TarListing.Parse).ToDictionary(e => e.Name);

    public string[] Names(Layer layer) => [.. Entries(layer).Keys];

    /// <summary>The content of one file in the layer, read by GNU tar.</summary>
    public string Content(Layer layer, string name) => System.Text.Encoding.UTF8.GetString(ContentBytes(layer, name));

    /// <summary>The bytes of one file in the layer, read by GNU tar.</summary>
    public byte[] ContentBytes(Layer layer, string name)
    {
        string directory = _temp.Combine("extracted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        ExternalTool.RunChecked("tar", "-xzf", Store.PathFor(layer.Descriptor.Digest), "-C", directory, name);
        return File.ReadAllBytes(Path.Combine(directory, name));
    }

    public void Dispose() => _temp.Dispose();
}
