using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// What every Dockerfile build test has: a temporary folder (removed after the test) holding the
/// store and the build context, and the built layers read back with GNU tar.
/// </summary>
public abstract class DockerfileBuildTest : IDisposable
{
    protected DockerfileBuildTest(string prefix)
    {
        Temp = new TempDirectory(prefix);
        Store = new BlobStore(Temp.Combine("store"));
        Directory.CreateDirectory(Context);
    }

    protected TempDirectory Temp { get; }

    protected BlobStore Store { get; }

    protected string Context => Temp.Combine("context");

    /// <summary>The layer's entries by name, as <c>tar --numeric-owner</c> lists them.</summary>
    private protected Dictionary<string, TarListing> Entries(Layer layer) =>
        ExternalTool.RunChecked("tar", "--numeric-owner", "--full-time", "-tvzf", Store.PathFor(layer.Descriptor.Digest))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TarListing.Parse).ToDictionary(e => e.Name);

    /// <summary>The content of one file of the layer.</summary>
    protected string Content(Layer layer, string name)
    {
        string directory = Temp.Combine("extracted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        ExternalTool.RunChecked("tar", "-xzf", Store.PathFor(layer.Descriptor.Digest), "-C", directory, name);
        return File.ReadAllText(Path.Combine(directory, name));
    }

    public virtual void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
