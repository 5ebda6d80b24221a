using System.IO.Compression;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

/// <summary>A temp folder with a source tree, a blob store, and ways to look at built layers with GNU tar.</summary>
internal sealed class LayerFixture : IDisposable
{
    private readonly TempDirectory _temp = new("ctz-layer");

    public LayerFixture()
    {
        Source = _temp.Combine("src");
        Directory.CreateDirectory(Source);
        Store = new BlobStore(_temp.Combine("store"));
    }

    public string Source { get; }

    public BlobStore Store { get; }

    public string Root => _temp.Path;

    public string PathIn(string relative) => Path.Combine(Source, relative);

    public string WriteFile(string relative, string content = "content")
    {
        string path = PathIn(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public Layer Build(LayerOptions? options = null, string? source = null) =>
        LayerBuilder.FromDirectoryAsync(source ?? Source, options ?? new LayerOptions(), Store, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The layer's uncompressed tar, written to a file GNU tar can read.</summary>
    public string TarFileOf(Layer layer)
    {
        string path = _temp.Combine($"{layer.DiffId.Hex}.tar");
        if (File.Exists(path)) return path;
        using var blob = Store.OpenRead(layer.Descriptor.Digest);
        using var input = layer.Descriptor.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
        using var output = File.Create(path);
        input.CopyTo(output);
        return path;
    }

    /// <summary>GNU tar's verbose listing: one line per entry, "mode uid/gid size date time name [-> target]".</summary>
    public string[] List(Layer layer, params string[] extraArguments) =>
        ExternalTool.RunChecked("tar", ["--numeric-owner", "--full-time", "-tvf", TarFileOf(layer), .. extraArguments])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>GNU tar's listing by entry name.</summary>
    public Dictionary<string, TarListing> Entries(Layer layer) => List(layer).Select(TarListing.Parse).ToDictionary(e => e.Name);

    /// <summary>Entry names in archive order, as GNU tar reads them.</summary>
    public string[] Names(Layer layer) =>
        ExternalTool.RunChecked("tar", "-tf", TarFileOf(layer)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose() => _temp.Dispose();
}
