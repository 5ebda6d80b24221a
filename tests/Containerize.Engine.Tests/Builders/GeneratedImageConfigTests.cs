using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;

namespace Containerize.Engine.Tests.Builders;

[TestCategory("Unit")]
[TestClass]
public class GeneratedImageConfigTests
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
        var config = GeneratedImageConfig.Create(Request with
        {
            EnvironmentVariables = [KeyValuePair.Create("GREETING", "new"), KeyValuePair.Create("EXTRA", "1")],
            Labels = [KeyValuePair.Create("team", "platform")],
            Ports = ["8080", "53/UDP"],
        }, baseImage, Created);

        var runtime = config.Config!;
        CollectionAssert.AreEqual(new[] { "PATH=/bin", "GREETING=new", "EXTRA=1" }, runtime.Env!.ToList());
        CollectionAssert.AreEquivalent(new[] { "from.base", "team" }, runtime.Labels!.Keys.ToList());
        CollectionAssert.AreEquivalent(new[] { "80/tcp", "8080/tcp", "53/udp" }, runtime.ExposedPorts!.Keys.ToList());
        Assert.AreEqual("base-user", runtime.User, "the base image's user stays unless ContainerUser is set");
        Assert.AreEqual("/app", runtime.WorkingDir);
        Assert.AreEqual("2023-11-14T22:13:20Z", config.Created);
    }

    [TestMethod]
    public void ANewEntrypointClearsTheBaseImagesCmdAsDockerDoes()
    {
        var baseImage = Base(new ContainerConfig { Entrypoint = ["/docker-entrypoint.sh"], Cmd = ["nginx"] });
        var config = GeneratedImageConfig.Create(Request with { Entrypoint = ["/app/App"] }, baseImage, Created);
        CollectionAssert.AreEqual(new[] { "/app/App" }, config.Config!.Entrypoint!.ToList());
        Assert.IsNull(config.Config.Cmd);

        var kept = GeneratedImageConfig.Create(Request, baseImage, Created);
        CollectionAssert.AreEqual(new[] { "nginx" }, kept.Config!.Cmd!.ToList(), "without a new entrypoint the base's Cmd stays");
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("70000")]
    [DataRow("http")]
    [DataRow("80/icmp")]
    public void InvalidPortsAreTaskParameterErrors(string port)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => GeneratedImageConfig.Create(Request with { Ports = [port] }, BaseImage.Scratch, Created));
        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.Contains(e.Message, "ContainerPort");
    }

    [TestMethod]
    public void ScratchTakesTheRequestedPlatform()
    {
        var config = GeneratedImageConfig.Create(Request with { Platform = Platform.Parse("linux/arm64/v8") }, BaseImage.Scratch, Created);
        Assert.AreEqual("arm64", config.Architecture);
        Assert.AreEqual("v8", config.Variant);
    }
}
