using Containerize.Engine.Dockerfile.Instructions;
using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Dockerfile reference, "ONBUILD": a base image's triggers run first in the stage built on it.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class OnbuildTriggerTests
{
    [TestMethod]
    public async Task TriggersOfTheBaseImageRunFirstAndAreExpandedInTheStage()
    {
        var resolver = new FakeBaseImageResolver().With("docker.io/library/python-onbuild:3", env: ["APP=/app"],
            onBuild: ["ADD . $APP/src", "RUN /usr/local/bin/python-build --dir $APP/src"]);

        var plan = await PlanAsync("FROM python-onbuild:3\nWORKDIR /work\n", resolver);

        var steps = plan.Target.Steps;
        Assert.HasCount(3, steps);
        Assert.AreEqual("/app/src", ((AddInstruction)steps[0].Instruction).Files.Destination);
        Assert.AreEqual("/usr/local/bin/python-build --dir $APP/src", ((RunInstruction)steps[1].Instruction).Command.Arguments[0]);
        Assert.IsInstanceOfType<WorkdirInstruction>(steps[2].Instruction);
        Assert.AreEqual(1, steps[0].Range.StartLine, "triggers carry the position of the FROM that brought them in");
    }

    [TestMethod]
    public async Task TriggersOfAStageBaseAreNotRunAgain()
    {
        var resolver = new FakeBaseImageResolver().With("docker.io/library/base:1", onBuild: ["RUN echo trigger"]);

        var plan = await PlanAsync("FROM base:1 AS first\nFROM first\nWORKDIR /w\n", resolver);

        Assert.HasCount(1, plan.Stages[0].Steps);
        Assert.HasCount(1, plan.Target.Steps);
    }

    [TestMethod]
    [DataRow("FROM alpine")]
    [DataRow("ONBUILD RUN true")]
    [DataRow("NOTANINSTRUCTION x")]
    public async Task InvalidTriggersAreErrorsAtTheFrom(string trigger)
    {
        var resolver = new FakeBaseImageResolver().With("docker.io/library/base:1", onBuild: [trigger]);

        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync("ARG X\n\nFROM base:1\n", resolver));

        Assert.AreEqual(ErrorCodes.InvalidOnbuildTrigger, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 3, 1), error.Location);
    }
}
