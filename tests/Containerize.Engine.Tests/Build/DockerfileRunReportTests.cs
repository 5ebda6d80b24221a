using Containerize.Engine.Build;
using Containerize.Engine.Errors;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Tests.Build;

/// <summary>How a RUN step that cannot start, or that dies, is reported: the code, the line, what happened.</summary>
[TestClass]
public sealed class DockerfileRunReportTests : DockerfileBuildTest
{
    public DockerfileRunReportTests()
        : base("ctz-run-report") { }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ANulInAnExecFormArgumentIsAPositionedError()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($$"""
            FROM {{SharedBusybox.Image}}
            RUN ["/bin/echo", "a\u0000b"]
            """));
        Assert.AreEqual(ErrorCodes.NulInContainerSpec, e.Code, e.Message);
        Assert.AreEqual(2, e.Location!.Line);
        StringAssert.Contains(e.Message, "command argument 2");
    }

    private Task<BuildResult> BuildAsync(string dockerfile)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            Cache = new Engine.Build.Cache.StepCacheOptions { NoCache = true },
        };
        var outputs = new ImageOutputs { RepositoryName = "test/run-report", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
    }
}
