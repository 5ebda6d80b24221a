using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Tests.Execution;

namespace Containerize.Engine.Tests.Builders;

/// <summary>How a RUN step that cannot start, or that dies, is reported: the code, the line, what happened.</summary>
[TestCategory("Namespaces")]
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

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AStepKilledFromOutsideSaysSigkillAndOutOfMemory()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        string marker = StepProcessKiller.NewMarker();
        var killing = StepProcessKiller.KillAsync(marker, 9, timeout.Token);
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            ARG {marker}
            RUN echo started && exec sleep 1000
            """));
        await killing;
        Assert.AreEqual(ErrorCodes.RunStepFailed, e.Code, e.Message);
        Assert.AreEqual(3, e.Location!.Line);
        StringAssert.Contains(e.Message, "killed by SIGKILL (exit code 137): out of memory, or killed from outside?");
        Assert.IsFalse(e.Message.Contains("unshare", StringComparison.Ordinal), e.Message);
        StringAssert.Contains(e.Message, "started");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AShellReportingAKilledChildGetsTheSignalExplained()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN sh -c 'kill -KILL $$'; exit $?
            """));
        Assert.AreEqual(ErrorCodes.RunStepFailed, e.Code, e.Message);
        StringAssert.Contains(e.Message, "exit code 137 (128+9: it, or a process it waited for, was killed by SIGKILL: out of memory, or killed from outside?)");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AStepWhoseContainerCannotStartNamesTheStepAndItsLine()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}

            RUN ["no-such-program", "--flag"]
            """));
        Assert.AreEqual(ErrorCodes.ContainerCommandNotFound, e.Code, e.Message);
        Assert.AreEqual(3, e.Location!.Line);
        StringAssert.StartsWith(e.Message, "RUN no-such-program --flag: ");
        StringAssert.Contains(e.Message, "no-such-program");
        Assert.IsFalse(e.Message.Contains("   at ", StringComparison.Ordinal), e.Message);
    }

    private Task<BuildResult> BuildAsync(string dockerfile)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            Cache = new Engine.Caching.StepCacheOptions { NoCache = true },
        };
        var outputs = new ImageOutputs { RepositoryName = "test/run-report", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
    }
}
