using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Planning;
using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Multi-stage builds: names, FROM &lt;stage&gt;, COPY --from, RUN --mount from=, --target.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class StageGraphTests
{
    private const string MultiStage = """
        FROM golang:1.23 AS build
        RUN go build -o /out/app
        FROM alpine:3.20 AS tools
        RUN apk add curl
        FROM node:22 AS docs
        RUN npm run docs
        FROM scratch AS final
        COPY --from=build /out/app /app
        COPY --from=1 /usr/bin/curl /curl
        """;

    [TestMethod]
    public async Task WithoutTargetTheLastStageIsBuiltWithOnlyWhatItNeeds()
    {
        var resolver = new FakeBaseImageResolver();

        var plan = await PlanAsync(MultiStage, resolver);

        Assert.AreEqual(3, plan.Target.Index);
        Assert.IsInstanceOfType<ScratchBase>(plan.Target.Base);
        CollectionAssert.AreEqual(new[] { 0, 1, 3 }, plan.Stages.Select(s => s.Index).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, plan.Target.DependsOn.Order().ToArray());
        CollectionAssert.AreEquivalent(new[] { "docker.io/library/golang:1.23", "docker.io/library/alpine:3.20" },
            resolver.Requests.Select(r => r.Reference).ToArray(), "node:22 is never resolved: no needed stage uses it");
    }

    [TestMethod]
    public async Task CopyFromNameAndIndexResolveToStages()
    {
        var plan = await PlanAsync(MultiStage);

        Assert.AreEqual(new StageReference(0), plan.Target.Steps[0].Sources["build"]);
        Assert.AreEqual(new StageReference(1), plan.Target.Steps[1].Sources["1"]);
    }

    [TestMethod]
    public async Task TargetBuildsOnlyThatStageAndItsDependencies()
    {
        var resolver = new FakeBaseImageResolver();

        var plan = await PlanAsync(MultiStage, resolver, target: "TOOLS");

        Assert.AreEqual("tools", plan.Target.Name);
        Assert.AreEqual(1, plan.Stages.Single().Index);
        Assert.AreEqual("docker.io/library/alpine:3.20", resolver.Requests.Single().Reference);
    }

    [TestMethod]
    public async Task SharedStageIsPlannedOnceBeforeItsDependents()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("""
            FROM alpine:3.20 AS base
            FROM base AS a
            FROM base AS b
            COPY --from=a /x /x
            RUN --mount=type=bind,from=base,target=/mnt true
            """, resolver);

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, plan.Stages.Select(s => s.Index).ToArray());
        Assert.AreEqual(new StageReference(0), plan.Target.Base);
        CollectionAssert.AreEqual(new[] { 0, 1 }, plan.Target.DependsOn.Order().ToArray());
        Assert.AreEqual(new StageReference(0), plan.Target.Steps[1].Sources["base"]);
        Assert.HasCount(1, resolver.Requests);
    }

    [TestMethod]
    public async Task CopyFromAnImageIsAnImageSource()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("FROM scratch\nCOPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf\n", resolver);

        var source = (ImageBase)plan.Target.Steps[0].Sources["nginx:latest"];
        Assert.AreEqual("docker.io/library/nginx:latest", source.Reference.ToString());
        CollectionAssert.AreEqual(new[] { "docker.io/library/nginx:latest" }, resolver.Requests.Select(r => r.Reference).ToList(),
            "the executor reads it; its lookup starts while planning, once");
        Assert.IsEmpty(plan.Target.DependsOn);
    }

    [TestMethod]
    public async Task CopyFromExpandsStageArgs()
    {
        var plan = await PlanAsync("FROM scratch AS build\nFROM scratch\nARG SRC=build\nCOPY --from=$SRC /a /a\n");

        Assert.AreEqual("build", plan.Steps<CopyInstruction>()[0].From);
        CollectionAssert.AreEqual(new[] { 0 }, plan.Target.DependsOn.ToArray());
    }

    [TestMethod]
    [DataRow("FROM scratch\nCOPY --from=0 /a /a\n")]
    [DataRow("FROM scratch AS one\nCOPY --from=1 /a /a\nFROM scratch\nCOPY --from=one /a /a\n")]
    [DataRow("FROM scratch AS self\nCOPY --from=self /a /a\n")]
    public async Task CopyFromTheCurrentOrALaterStageIsAnError(string dockerfile)
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync(dockerfile));

        Assert.AreEqual(ErrorCodes.InvalidStageReference, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 2, 1), error.Location);
    }

    [TestMethod]
    public async Task DuplicateStageNameIsAnErrorAtTheSecondFrom()
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(
            () => PlanAsync("FROM scratch AS build\nFROM scratch\n  FROM alpine AS Build\n"));

        Assert.AreEqual(ErrorCodes.DuplicateStageName, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 3, 3), error.Location);
        StringAssert.Contains(error.Message, "\"build\"");
    }

    [TestMethod]
    public async Task UnknownTargetIsAnErrorListingTheStages()
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync(MultiStage, target: "release"));

        Assert.AreEqual(ErrorCodes.UnknownTargetStage, error.Code);
        Assert.AreEqual(DockerfileName, error.Location?.File);
        StringAssert.Contains(error.Message, "build, tools, docs, final");
    }

    [TestMethod]
    public async Task FromAStageNameIsCaseInsensitiveAndInheritsItsPlatform()
    {
        var plan = await PlanAsync("FROM --platform=linux/arm64 scratch AS Base\nFROM BASE\n");

        Assert.AreEqual(new StageReference(0), plan.Target.Base);
        Assert.AreEqual("linux/arm64", plan.Target.Platform.ToString());
    }

    [TestMethod]
    public async Task FromALaterStageNameIsAnImageReference()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("FROM later\nFROM scratch AS later\n", resolver, target: null);

        Assert.AreEqual(1, plan.Target.Index);
        Assert.IsEmpty(resolver.Requests);
    }

    [TestMethod]
    [DataRow("ARG TAG\nFROM alpine:$TAG$NOPE\nFROM ${EMPTY}\n", 3)]
    [DataRow("FROM Alpine:3\n", 1)]
    public async Task InvalidOrBlankBaseImageIsPositioned(string dockerfile, int line)
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync(dockerfile));

        Assert.AreEqual(ErrorCodes.InvalidBaseImage, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, line, 1), error.Location);
    }

    [TestMethod]
    public async Task InstructionBeforeTheFirstFromIsAnError()
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync("ARG A\nENV B=1\nFROM scratch\n"));

        Assert.AreEqual(ErrorCodes.NoBuildStage, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 2, 1), error.Location);
    }

    [TestMethod]
    public async Task StageNameMayComeFromAGlobalArg()
    {
        var plan = await PlanAsync("ARG NAME=builder\nFROM scratch AS $NAME\nFROM scratch\nCOPY --from=builder /a /a\n");

        Assert.AreEqual("builder", plan.Stages[0].Name);
    }
}
