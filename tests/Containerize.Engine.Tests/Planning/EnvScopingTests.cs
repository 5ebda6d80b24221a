using Containerize.Engine.Dockerfile.Instructions;
using static Containerize.Engine.Tests.Planning.Planner;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Dockerfile reference: "ENV", and "Using ARG variables" (ENV overrides ARG).</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class EnvScopingTests
{
    [TestMethod]
    public async Task EnvWinsOverArgOfTheSameName()
    {
        var plan = await PlanAsync("""
            FROM ubuntu
            ARG CONT_IMG_VER
            ENV CONT_IMG_VER=v1.0.0
            WORKDIR /$CONT_IMG_VER
            """, buildArgs: BuildArgs(("CONT_IMG_VER", "v2.0.1")));

        Assert.AreEqual("/v1.0.0", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    [DataRow(null, "v1.0.0")]
    [DataRow("v2.0.1", "v2.0.1")]
    public async Task EnvCanTakeItsValueFromAnArg(string? given, string expected)
    {
        var plan = await PlanAsync("FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}\n",
            buildArgs: given is null ? BuildArgs() : BuildArgs(("CONT_IMG_VER", given)));

        Assert.AreEqual(new KeyValue("CONT_IMG_VER", expected), plan.Steps<EnvInstruction>()[0].Variables[0]);
    }

    [TestMethod]
    public async Task OneEnvInstructionExpandsWithTheValuesBeforeIt()
    {
        var plan = await PlanAsync("FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n");

        var envs = plan.Steps<EnvInstruction>();
        Assert.AreEqual(new KeyValue("def", "hello"), envs[1].Variables[1]);
        Assert.AreEqual(new KeyValue("ghi", "bye"), envs[2].Variables[0]);
    }

    [TestMethod]
    public async Task EnvQuotesAndEscapesAreRemoved()
    {
        var plan = await PlanAsync("FROM scratch\nENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog\n");

        var env = plan.Steps<EnvInstruction>()[0];
        Assert.AreEqual(new KeyValue("MY_NAME", "John Doe"), env.Variables[0]);
        Assert.AreEqual(new KeyValue("MY_DOG", "Rex The Dog"), env.Variables[1]);
    }

    [TestMethod]
    public async Task EnvIsInheritedFromTheParentStage()
    {
        var plan = await PlanAsync("""
            FROM scratch AS base
            ENV APP_HOME=/srv/app
            FROM base
            WORKDIR $APP_HOME/bin
            """);

        Assert.AreEqual("/srv/app/bin", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    public async Task EnvIsInheritedFromTheBaseImageConfig()
    {
        var resolver = new FakeBaseImageResolver()
            .With("docker.io/library/golang:1.23", env: ["PATH=/usr/local/go/bin:/usr/bin", "GOPATH=/go"]);

        var plan = await PlanAsync("FROM golang:1.23\nWORKDIR $GOPATH/src\nENV PATH=$GOPATH/bin:$PATH\n", resolver);

        Assert.AreEqual("/go/src", plan.Steps<WorkdirInstruction>()[0].Path);
        Assert.AreEqual(new KeyValue("PATH", "/go/bin:/usr/local/go/bin:/usr/bin"), plan.Steps<EnvInstruction>()[0].Variables[0]);
    }

    [TestMethod]
    public async Task BaseImageEnvWinsOverAnArg()
    {
        var resolver = new FakeBaseImageResolver().With("docker.io/library/node:22", env: ["NODE_VERSION=22.1.0"]);

        var plan = await PlanAsync("FROM node:22\nARG NODE_VERSION=18\nLABEL v=$NODE_VERSION\n", resolver);

        Assert.AreEqual(new KeyValue("v", "22.1.0"), plan.Steps<LabelInstruction>()[0].Labels[0]);
    }

    [TestMethod]
    public async Task WindowsStagesMatchVariableNamesCaseInsensitively()
    {
        var plan = await PlanAsync("FROM --platform=windows/amd64 scratch\nENV AppDir=C:/app\nWORKDIR $APPDIR\n");

        Assert.AreEqual("C:/app", plan.Steps<WorkdirInstruction>()[0].Path);
    }
}
