using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Archives;

/// <summary>A temp folder with a blob store holding a two-layer sample image, and the names to export it under.</summary>
internal sealed class ArchiveFixture : IDisposable
{
    public ArchiveFixture()
    {
        Store = new BlobStore(Temp.Combine("store"));
        Image = SampleImage.Build(Store,
            new Dictionary<string, string> { ["app/hello.txt"] = "hello from layer one\n", ["etc/motd"] = "motd\n" },
            new Dictionary<string, string> { ["app/second.txt"] = "second layer\n" });
    }

    public TempDirectory Temp { get; } = new("ctz-export");

    public BlobStore Store { get; }

    public BuiltImage Image { get; }

    public IReadOnlyList<ImageReference> Names { get; } =
        [ImageReference.Parse("localhost:5000/sample/app:1.0"), ImageReference.Parse("sample:latest")];

    public string PathFor(string file) => Temp.Combine("out", file);

    public void Dispose() => Temp.Dispose();
}
