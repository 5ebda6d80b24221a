using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Docker warns about build args that no ARG of the built stages declares.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class UnconsumedBuildArgTests
{
    [TestMethod]
    public async Task UndeclaredBuildArgsAreWarnedAboutOnce()
    {
        var log = new RecordingBuildLog();

        var plan = await PlanAsync("FROM scratch\nARG USED\n", log: log, buildArgs: BuildArgs(("foo", "1"), ("USED", "2"), ("bar", "3")));

        CollectionAssert.AreEqual(new[] { "bar", "foo" }, plan.UnconsumedBuildArgs.ToArray());
        var warning = log.Warnings.Single();
        Assert.AreEqual(ErrorCodes.UnconsumedBuildArgs, warning.Code);
        Assert.AreEqual("[Warning] One or more build-args [bar foo] were not consumed", warning.Message);
    }

    [TestMethod]
    [DataRow("ARG foo\nFROM scratch\n", "foo")]
    [DataRow("FROM scratch\nARG foo=default\n", "foo")]
    [DataRow("FROM scratch AS base\nARG foo\nFROM base\n", "foo")]
    [DataRow("FROM scratch\n", "TARGETARCH")]
    [DataRow("FROM scratch\n", "http_proxy")]
    public async Task ConsumedBuildArgsProduceNoWarning(string dockerfile, string buildArg)
    {
        var log = new RecordingBuildLog();

        var plan = await PlanAsync(dockerfile, log: log, buildArgs: BuildArgs((buildArg, "1")));

        Assert.IsEmpty(plan.UnconsumedBuildArgs);
        Assert.IsEmpty(log.Warnings);
    }

    [TestMethod]
    public async Task ArgDeclaredOnlyInAStageTheTargetDoesNotNeedIsNotConsumed()
    {
        var log = new RecordingBuildLog();

        var plan = await PlanAsync("FROM scratch AS other\nARG foo\nFROM scratch AS app\n", log: log, buildArgs: BuildArgs(("foo", "1")));

        CollectionAssert.AreEqual(new[] { "foo" }, plan.UnconsumedBuildArgs.ToArray());
    }
}
