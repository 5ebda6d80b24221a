using Containerize.Engine.Builders;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

/// <summary>A base image is resolved once per build, however many stages use it and whoever asks: the planner (ONBUILD, ARG) and the stages.</summary>
[TestCategory("Registry")]
[TestClass]
public sealed class BaseImageResolvedOncePerBuildTests : DockerfileBuildTest
{
    public BaseImageResolvedOncePerBuildTests()
        : base("ctz-resolve-once") { }

    [TestMethod]
    public async Task TwoStagesOnTheSameBaseAskTheRegistryForItsManifestOnce()
    {
        using var registry = RegistryServer.StartAnonymousWithAccessLog();
        using (var baseStore = new TempDirectory("ctz-resolve-once-base"))
        {
            var store = new BlobStore(baseStore.Path);
            var image = SampleImage.Build(store, new Dictionary<string, string> { ["srv/readme.txt"] = "base file" });
            using var session = new RegistrySession(new RegistryOptions());
            await session.PushAsync(image, ImageReference.Parse($"{registry.Host}/test/base:1"), ["1"], store, CancellationToken.None);
        }
        await registry.WaitForQuietAsync();
        int before = registry.Requests.Count;
        File.WriteAllText(Path.Combine(Context, "a.txt"), "a");
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), $"""
            FROM {registry.Host}/test/base:1 AS build
            COPY a.txt /a.txt
            FROM {registry.Host}/test/base:1
            COPY --from=build /a.txt /b.txt
            """);

        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            NamedContexts = new Dictionary<string, string>(),
            Platform = Platform.Parse("linux/amd64"),
        };
        var outputs = new ImageOutputs { RepositoryName = "test/app", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        await DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
        await registry.WaitForQuietAsync();

        var manifestRequests = registry.Requests.Skip(before).Where(r => r.Contains("/manifests/", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(new[] { "GET /v2/test/base/manifests/1" }, manifestRequests, "one resolution of the base for the planner and both stages");
    }
}
