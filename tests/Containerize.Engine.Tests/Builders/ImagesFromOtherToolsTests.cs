using Containerize.Engine.Builders;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Tests.Registry;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// Base images made by tools we did not write, pushed as they are into the real test registry:
/// umoci leaves out the optional <c>mediaType</c> of its manifests and index, and skopeo copies
/// them unchanged; buildah commits Docker schema 2 or OCI images of its own making. A build FROM
/// them reads their config and copies their files.
/// </summary>
[TestCategory("Registry")]
[TestClass]
public sealed class ImagesFromOtherToolsTests : DockerfileBuildTest
{
    private static RegistryServer s_registry = null!;

    public ImagesFromOtherToolsTests()
        : base("ctz-foreign") { }

    [ClassInitialize]
    public static void StartRegistry(TestContext _) => s_registry = RegistryServer.StartAnonymous();

    [ClassCleanup]
    public static void StopRegistry() => s_registry.Dispose();

    /// <summary>umoci init/new/unpack/repack/config, then skopeo copy into the registry; the reference pushed to.</summary>
    private string PushUmociImage(string repository)
    {
        string layout = Temp.Combine("umoci-layout");
        string bundle = Temp.Combine("umoci-bundle");
        ExternalTool.RunChecked("umoci", "init", "--layout", layout);
        ExternalTool.RunChecked("umoci", "new", "--image", layout + ":base");
        // unpack/repack rather than insert: umoci 0.4.7's insert writes a tar without its end (no padding, no end marker).
        ExternalTool.RunChecked("umoci", "unpack", "--image", layout + ":base", bundle);
        File.WriteAllText(Path.Combine(bundle, "rootfs", "hello.txt"), "made by umoci\n");
        ExternalTool.RunChecked("umoci", "repack", "--image", layout + ":base", bundle);
        ExternalTool.RunChecked("umoci", "config", "--image", layout + ":base", "--config.env", "GREETING=umoci", "--config.workingdir", "/srv");
        string reference = $"{s_registry.Host}/{repository}:1";
        Skopeo.Run(["copy", "--dest-tls-verify=false", $"oci:{layout}:base", "docker://" + reference]);
        using var pushed = Skopeo.Inspect(reference, raw: true);
        Assert.IsFalse(pushed.RootElement.TryGetProperty("mediaType", out _), "the pushed manifest keeps umoci's shape, without mediaType");
        return reference;
    }

    /// <summary>buildah from scratch, copy, config, commit in <paramref name="format"/>, push; storage of its own under the test's folder.</summary>
    private string PushBuildahImage(string repository, string format)
    {
        string[] storage = ["--root", Temp.Combine("buildah-root"), "--runroot", Temp.Combine("buildah-runroot"), "--storage-driver", "vfs"];
        File.WriteAllText(Temp.Combine("hello.txt"), "made by buildah\n");
        string container = ExternalTool.RunChecked("buildah", [.. storage, "from", "scratch"]).Trim();
        ExternalTool.RunChecked("buildah", [.. storage, "copy", container, Temp.Combine("hello.txt"), "/hello.txt"]);
        ExternalTool.RunChecked("buildah", [.. storage, "config", "--env", "GREETING=buildah", "--workingdir", "/srv", container]);
        ExternalTool.RunChecked("buildah", [.. storage, "commit", "--format", format, container, "localhost/" + repository]);
        string reference = $"{s_registry.Host}/{repository}:1";
        ExternalTool.RunChecked("buildah", [.. storage, "push", "--tls-verify=false", "localhost/" + repository, "docker://" + reference]);
        return reference;
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    [DataRow("docker", MediaTypes.DockerManifest)]
    [DataRow("oci", MediaTypes.OciManifest)]
    public async Task ABuildahImageIsABaseThatBuildsAndCopies(string format, string manifestMediaType)
    {
        string reference = PushBuildahImage("buildah/" + format, format);
        using (var pushed = Skopeo.Inspect(reference, raw: true))
        {
            Assert.AreEqual(manifestMediaType, pushed.RootElement.GetProperty("mediaType").GetString(), "buildah pushed the format asked for");
        }
        var image = await BuildOnAsync(reference, "buildah");

        Assert.AreEqual("made by buildah\n", Content(image.Layers[0], "hello.txt"));
    }

    /// <summary>
    /// Builds FROM <paramref name="reference"/> (made by <paramref name="tool"/>: WorkingDir /srv,
    /// GREETING=tool, /hello.txt "made by tool") a COPY from the context and a COPY --from of the
    /// base's file, and checks what the base gave.
    /// </summary>
    private async Task<BuiltImage> BuildOnAsync(string reference, string tool)
    {
        File.WriteAllText(Path.Combine(Context, "a.txt"), "from the context");
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), $"""
            FROM {reference} AS base
            FROM {reference}
            COPY a.txt ./a.txt
            COPY --from=base /hello.txt /copied/hello.txt
            """);

        var image = (await DockerfileImageBuilder.BuildAsync(new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Parse("linux/amd64"),
        }, new ImageOutputs { RepositoryName = "test/app", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") },
            new BuildSettings { Store = Store }, TestContext.CancellationToken)).Image;

        Assert.AreEqual("/srv", image.Config.Config!.WorkingDir, "the base config's WorkingDir");
        CollectionAssert.Contains(image.Config.Config.Env!.ToList(), $"GREETING={tool}");
        Assert.HasCount(3, image.Layers, $"{tool}'s layer + two COPY");
        Assert.AreEqual("from the context", Content(image.Layers[1], "srv/a.txt"));
        Assert.AreEqual($"made by {tool}\n", Content(image.Layers[2], "copied/hello.txt"));
        return image;
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AnUmociImageWithoutMediaTypesIsABaseThatBuildsAndCopies()
    {
        string reference = PushUmociImage("umoci/base");
        await BuildOnAsync(reference, "umoci");
    }

    public TestContext TestContext { get; set; } = null!;
}
