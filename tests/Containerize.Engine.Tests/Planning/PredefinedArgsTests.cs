using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using static Containerize.Engine.Tests.Planning.Planner;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Dockerfile reference: "Predefined ARGs" and "Automatic platform ARGs in the global scope".</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class PredefinedArgsTests
{
    private const string AllPlatformArgs = """
        FROM scratch
        ARG TARGETPLATFORM TARGETOS TARGETARCH TARGETVARIANT BUILDPLATFORM BUILDOS BUILDARCH BUILDVARIANT
        LABEL tp=$TARGETPLATFORM to=$TARGETOS ta=$TARGETARCH tv=$TARGETVARIANT bp=$BUILDPLATFORM bo=$BUILDOS ba=$BUILDARCH bv=$BUILDVARIANT
        """;

    // containerd normalizes arm64/v8 to arm64 (and BuildKit reports the normalized form).
    [TestMethod]
    [DataRow("linux/amd64", "linux/amd64", "amd64", "")]
    [DataRow("linux/arm64/v8", "linux/arm64", "arm64", "")]
    [DataRow("linux/arm/v7", "linux/arm/v7", "arm", "v7")]
    public async Task PlatformArgsDescribeTheTargetAndBuildPlatforms(string target, string platform, string arch, string variant)
    {
        var plan = await PlanAsync(AllPlatformArgs, targetPlatform: Platform.Parse(target), buildPlatform: Platform.Parse("linux/amd64"));

        var labels = plan.Steps<LabelInstruction>()[0].Labels.ToDictionary(l => l.Key, l => l.Value);
        Assert.AreEqual(platform, labels["tp"]);
        Assert.AreEqual("linux", labels["to"]);
        Assert.AreEqual(arch, labels["ta"]);
        Assert.AreEqual(variant, labels["tv"]);
        Assert.AreEqual("linux/amd64", labels["bp"]);
        Assert.AreEqual("linux", labels["bo"]);
        Assert.AreEqual("amd64", labels["ba"]);
        Assert.AreEqual("", labels["bv"]);
    }

    [TestMethod]
    public async Task PlatformArgsAreInTheGlobalScopeButNotInAStageUntilDeclared()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("""
            FROM --platform=$BUILDPLATFORM golang:1.23-$TARGETARCH AS build
            WORKDIR /${TARGETARCH:-undeclared}
            ARG TARGETARCH
            WORKDIR /$TARGETARCH
            """, resolver, targetPlatform: Platform.Parse("linux/arm64"), buildPlatform: Platform.Parse("linux/amd64"));

        Assert.AreEqual("docker.io/library/golang:1.23-arm64", ((ImageBase)plan.Target.Base).Reference.ToString());
        Assert.AreEqual("linux/amd64", plan.Target.Platform.ToString());
        Assert.AreEqual("linux/amd64", resolver.Requests.Single().Platform.ToString());
        var workdirs = plan.Steps<WorkdirInstruction>();
        Assert.AreEqual("/undeclared", workdirs[0].Path);
        Assert.AreEqual("/arm64", workdirs[1].Path);
    }

    [TestMethod]
    public async Task StagesWithoutPlatformUseTheTargetPlatform()
    {
        var plan = await PlanAsync("FROM scratch\n", targetPlatform: Platform.Parse("linux/arm64/v8"));

        Assert.AreEqual("linux/arm64/v8", plan.Target.Platform.ToString());
    }

    [TestMethod]
    public async Task ProxyArgsReachRunWithoutDeclarationAndAreNotWarnedAbout()
    {
        var log = new RecordingBuildLog();
        var plan = await PlanAsync("FROM scratch\nRUN wget https://example.com\n", log: log,
            buildArgs: BuildArgs(("HTTPS_PROXY", "http://proxy:3128"), ("no_proxy", "localhost")));

        CollectionAssert.AreEquivalent(
            new[] { new BuildArgValue("HTTPS_PROXY", "http://proxy:3128"), new BuildArgValue("no_proxy", "localhost") },
            plan.ProxyArgs.ToArray());
        Assert.IsEmpty(plan.UnconsumedBuildArgs);
        Assert.IsEmpty(log.Warnings);
        Assert.IsEmpty(plan.Target.Steps[0].Args, "undeclared proxy args stay out of the step's ARG values (and so out of history)");
    }

    [TestMethod]
    public async Task DeclaredProxyArgIsAnOrdinaryArg()
    {
        var plan = await PlanAsync("FROM scratch\nARG HTTP_PROXY\nWORKDIR /$HTTP_PROXY\n", buildArgs: BuildArgs(("HTTP_PROXY", "p")));

        Assert.AreEqual("/p", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    public async Task InvalidStagePlatformIsPositioned()
    {
        var error = await Assert.ThrowsExactlyAsync<Diagnostics.ContainerizeException>(
            () => PlanAsync("ARG P=linux\nFROM --platform=$P scratch\n"));

        Assert.AreEqual(Diagnostics.ErrorCodes.InvalidStagePlatform, error.Code);
        Assert.AreEqual(new Diagnostics.SourceLocation(DockerfileName, 2, 1), error.Location);
    }
}
