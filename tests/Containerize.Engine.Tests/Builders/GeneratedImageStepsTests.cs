using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Builders;

/// <summary>The project properties' rules for the image configuration, as the steps of the image from properties apply them.</summary>
[TestCategory("Unit")]
[TestClass]
public class GeneratedImageStepsTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private static BaseImage Base(ContainerConfig runtime)
    {
        var config = new ImageConfig { Architecture = "amd64", Os = "linux", Config = runtime, RootFs = new RootFs { DiffIds = [] } };
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = Digest.Sha256([]), Size = 0 },
            Layers = [],
        };
        return BaseImage.From(new ResolvedImage(ImageReference.Parse("base"), Digest.Sha256([]), manifest, [], config, []));
    }

    private static GeneratedImageRequest Request => new() { PublishDirectory = "/publish", BaseImage = "base" };

    /// <summary>The configuration the request's steps leave on the base's (the layer step, which makes files, is not run).</summary>
    private static ContainerConfig Configure(GeneratedImageRequest request, BaseImage baseImage)
    {
        var recipe = GeneratedImageSteps.For(request, services: null!);
        var config = recipe.ConfigBuilder(baseImage.Config, created: null);
        foreach (var step in recipe.Steps.OfType<ConfigChangeStep>()) step.Record(config, output: null);
        Assert.AreEqual(0, config.History.Count, "the properties add no history entries");
        return config.Config;
    }

    private static async Task<ImageConfig> BuildOnScratchAsync(GeneratedImageRequest request)
    {
        using var temp = new TempDirectory("ctz-gen-steps");
        var built = await GeneratedImageDigestTests.BuildAsync(temp, request with { PublishDirectory = GeneratedImageDigestTests.Publish(temp), BaseImage = "scratch" }, new TextLog());
        return built.Image.Config;
    }

    [TestMethod]
    public void TheBaseImagesSettingsAreKeptAndTheProjectsAddedOrReplaced()
    {
        var baseImage = Base(new ContainerConfig
        {
            Env = ["PATH=/bin", "GREETING=old"],
            Labels = new() { ["from.base"] = "yes" },
            ExposedPorts = new() { ["80/tcp"] = new EmptyObject() },
            User = "base-user",
        });
        var runtime = Configure(Request with
        {
            EnvironmentVariables = [KeyValuePair.Create("GREETING", "new"), KeyValuePair.Create("EXTRA", "1")],
            Labels = [KeyValuePair.Create("team", "platform")],
            Ports = ["8080", "53/UDP"],
        }, baseImage);

        CollectionAssert.AreEqual(new[] { "PATH=/bin", "GREETING=new", "EXTRA=1" }, runtime.Env!.ToList());
        CollectionAssert.AreEquivalent(new[] { "from.base", "team" }, runtime.Labels!.Keys.ToList());
        CollectionAssert.AreEquivalent(new[] { "80/tcp", "8080/tcp", "53/udp" }, runtime.ExposedPorts!.Keys.ToList());
        Assert.AreEqual("base-user", runtime.User, "the base image's user stays unless ContainerUser is set");
        Assert.AreEqual("/app", runtime.WorkingDir);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task TheImageIsCreatedAtSourceDateEpoch()
    {
        var config = await BuildOnScratchAsync(Request with { SourceDateEpoch = Created });
        Assert.AreEqual("2023-11-14T22:13:20Z", config.Created);
    }

    [TestMethod]
    public void ANewEntrypointClearsTheBaseImagesCmdAsDockerDoes()
    {
        var baseImage = Base(new ContainerConfig { Entrypoint = ["/docker-entrypoint.sh"], Cmd = ["nginx"] });
        var config = Configure(Request with { Entrypoint = ["/app/App"] }, baseImage);
        CollectionAssert.AreEqual(new[] { "/app/App" }, config.Entrypoint!.ToList());
        Assert.IsNull(config.Cmd);

        var kept = Configure(Request, baseImage);
        CollectionAssert.AreEqual(new[] { "nginx" }, kept.Cmd!.ToList(), "without a new entrypoint the base's Cmd stays");
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("70000")]
    [DataRow("http")]
    [DataRow("80/icmp")]
    public void InvalidPortsAreTaskParameterErrors(string port)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => Configure(Request with { Ports = [port] }, BaseImage.Scratch));
        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.Contains(e.Message, "ContainerPort");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ScratchTakesTheRequestedPlatform()
    {
        var config = await BuildOnScratchAsync(Request with { Platform = Platform.Parse("linux/arm64/v8") });
        Assert.AreEqual("arm64", config.Architecture);
        Assert.AreEqual("v8", config.Variant);
    }
}
