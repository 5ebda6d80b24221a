using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Planning;
using static Containerize.Engine.Tests.Planning.Planner;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Dockerfile reference: "Understand how ARG and FROM interact", "Scope", "Using ARG variables".</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class ArgScopingTests
{
    [TestMethod]
    public async Task GlobalArgExpandsFromLines()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("""
            ARG  CODE_VERSION=latest
            FROM base:${CODE_VERSION}
            CMD  /code/run-app

            FROM extras:${CODE_VERSION}
            CMD  /code/run-extras
            """, resolver);

        var image = (ImageBase)plan.Target.Base;
        Assert.AreEqual("docker.io/library/extras:latest", image.Reference.ToString());
        CollectionAssert.AreEqual(new[] { "docker.io/library/extras:latest" }, resolver.Requests.Select(r => r.Reference).ToArray());
    }

    [TestMethod]
    public async Task BuildArgOverridesGlobalDefaultInFrom()
    {
        var plan = await PlanAsync("ARG VERSION=latest\nFROM busybox:$VERSION\n", buildArgs: BuildArgs(("VERSION", "1.36")));

        Assert.AreEqual("docker.io/library/busybox:1.36", ((ImageBase)plan.Target.Base).Reference.ToString());
    }

    [TestMethod]
    public async Task GlobalArgIsInvisibleInStageUntilRedeclared()
    {
        var plan = await PlanAsync("""
            ARG SETTINGS=global
            FROM busybox
            WORKDIR /before${SETTINGS}
            ARG SETTINGS
            WORKDIR /after${SETTINGS}
            """);

        var workdirs = plan.Steps<WorkdirInstruction>();
        Assert.AreEqual("/before", workdirs[0].Path);
        Assert.AreEqual("/afterglobal", workdirs[1].Path);
        Assert.AreEqual("<unset>", plan.Target.Steps[0].Arg("SETTINGS"));
        Assert.AreEqual("global", plan.Target.Steps[2].Arg("SETTINGS"));
    }

    [TestMethod]
    public async Task RedeclaredGlobalArgTakesTheBuildArgValue()
    {
        var plan = await PlanAsync("ARG VERSION=latest\nFROM busybox:$VERSION\nARG VERSION\nRUN echo $VERSION > image_version\n",
            buildArgs: BuildArgs(("VERSION", "1.36")));

        Assert.AreEqual("1.36", plan.Target.Steps[1].Arg("VERSION"));
    }

    [TestMethod]
    public async Task ArgIsUsableOnlyAfterItsDeclaration()
    {
        var plan = await PlanAsync("""
            FROM busybox
            USER ${username:-some_user}
            ARG username
            USER $username
            """, buildArgs: BuildArgs(("username", "what_user")));

        var users = plan.Steps<UserInstruction>();
        Assert.AreEqual("some_user", users[0].User);
        Assert.AreEqual("what_user", users[1].User);
    }

    [TestMethod]
    [DataRow(null, "v1.0.0")]
    [DataRow("v2.0.1", "v2.0.1")]
    public async Task StageArgDefaultAppliesUnlessABuildArgIsGiven(string? given, string expected)
    {
        var buildArgs = given is null ? BuildArgs() : BuildArgs(("CONT_IMG_VER", given));
        var plan = await PlanAsync("FROM ubuntu\nARG CONT_IMG_VER=v1.0.0\nLABEL version=$CONT_IMG_VER\n", buildArgs: buildArgs);

        Assert.AreEqual(new KeyValue("version", expected), plan.Steps<LabelInstruction>()[0].Labels[0]);
        Assert.AreEqual(expected, plan.Target.Steps[1].Arg("CONT_IMG_VER"));
    }

    [TestMethod]
    public async Task StageDefaultReplacesTheGlobalValue()
    {
        var plan = await PlanAsync("ARG A=global\nFROM scratch\nARG A=stage\nWORKDIR /$A\n");

        Assert.AreEqual("/stage", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    public async Task ArgDefaultsExpandEarlierArgsAndEnv()
    {
        var plan = await PlanAsync("FROM scratch\nENV ROOT=/opt\nARG APP=app\nARG DIR=$ROOT/$APP\nWORKDIR $DIR\n");

        Assert.AreEqual("/opt/app", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    public async Task ArgScopeEndsWithTheStage()
    {
        var plan = await PlanAsync("FROM scratch AS one\nARG A=1\nFROM scratch\nWORKDIR /x${A}\n");

        Assert.AreEqual("/x", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    // Docker docs, "Build variables" → "Scoping" (and moby/buildkit#5381): a child stage inherits its parent's ARGs.
    [TestMethod]
    public async Task ArgDeclaredInAParentStageIsInheritedByItsChild()
    {
        var plan = await PlanAsync("FROM alpine AS base\nARG NAME=\"joe\"\nFROM base AS build\nRUN echo \"hello $NAME!\"\n");

        Assert.AreEqual("joe", plan.Target.Steps[0].Arg("NAME"));
    }

    [TestMethod]
    public async Task UndeclaredBuildArgIsInvisibleToExpansion()
    {
        var plan = await PlanAsync("FROM scratch\nWORKDIR /x${FOO}\n", buildArgs: BuildArgs(("FOO", "bar")));

        Assert.AreEqual("/x", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    public async Task RunSeesArgValuesButKeepsItsText()
    {
        var plan = await PlanAsync("FROM scratch\nARG GREETING=hello\nRUN echo $GREETING\n");

        var run = plan.Target.Steps[1];
        Assert.AreEqual("echo $GREETING", ((RunInstruction)run.Instruction).Command.Arguments[0]);
        CollectionAssert.AreEqual(new[] { new BuildArgValue("GREETING", "hello") }, run.Args.ToArray());
    }
}
