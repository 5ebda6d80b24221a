using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Tests.Planning;

namespace Containerize.Engine.Tests.Builders;

/// <summary>The image configuration a Dockerfile's metadata instructions produce, planned and applied as a build does.</summary>
[TestCategory("Unit")]
[TestClass]
public class StageConfigBuilderTests
{
    private const string Created = "2023-11-14T22:13:20Z";

    private static async Task<StageConfigBuilder> ApplyAsync(string dockerfile, ContainerConfig? inherited = null)
    {
        var plan = await Planner.PlanAsync(dockerfile);
        var builder = new StageConfigBuilder(inherited, author: null, Planner.DockerfileName, Created);
        foreach (var step in plan.Target.Steps) builder.Apply(step.Instruction);
        return builder;
    }

    [TestMethod]
    public async Task EnvAndLabelsAreSetWithVariablesExpandedAndQuotesRemoved()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            ENV APP=/srv/app NAME="hello world"
            ENV APP_BIN=$APP/bin
            LABEL org.example.name="$NAME" team=platform
            """, new ContainerConfig { Env = ["PATH=/bin", "APP=/old"] });
        CollectionAssert.AreEqual(new[] { "PATH=/bin", "APP=/srv/app", "NAME=hello world", "APP_BIN=/srv/app/bin" }, builder.Config.Env!.ToList());
        Assert.AreEqual("hello world", builder.Config.Labels!["org.example.name"]);
        Assert.AreEqual("platform", builder.Config.Labels["team"]);
    }

    [TestMethod]
    public async Task WorkdirIsRelativeToThePreviousOne()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            WORKDIR /a
            WORKDIR b
            WORKDIR ../c/./d
            """);
        Assert.AreEqual("/a/c/d", builder.Config.WorkingDir);
    }

    [TestMethod]
    public async Task ShellFormCommandsRunThroughTheStagesShell()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            CMD echo default
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            ENTRYPOINT exec app --serve
            """);
        CollectionAssert.AreEqual(new[] { "/bin/bash", "-o", "pipefail", "-c", "exec app --serve" }, builder.Config.Entrypoint!.ToList());
        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "echo default" }, builder.Config.Cmd!.ToList(), "CMD set in this stage stays");
    }

    [TestMethod]
    public async Task AnEntrypointClearsTheCmdInheritedFromTheBase()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            ENTRYPOINT ["/app/server"]
            """, new ContainerConfig { Cmd = ["nginx", "-g", "daemon off;"] });
        CollectionAssert.AreEqual(new[] { "/app/server" }, builder.Config.Entrypoint!.ToList());
        Assert.IsNull(builder.Config.Cmd);
    }

    [TestMethod]
    public async Task ExposeAcceptsProtocolsAndRanges()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            EXPOSE 80 53/udp 8000-8002/tcp
            """, new ContainerConfig { ExposedPorts = new() { ["443/tcp"] = new EmptyObject() } });
        CollectionAssert.AreEquivalent(new[] { "443/tcp", "80/tcp", "53/udp", "8000/tcp", "8001/tcp", "8002/tcp" }, builder.Config.ExposedPorts!.Keys.ToList());
    }

    [TestMethod]
    public async Task AnInvalidPortIsAnErrorAtItsLine()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => ApplyAsync("FROM scratch\nEXPOSE 80\nEXPOSE 99999\n"));
        Assert.AreEqual(ErrorCodes.InvalidInstructionArgument, e.Code);
        Assert.AreEqual(3, e.Location!.Line);
    }

    [TestMethod]
    public async Task HealthcheckDurationsAreNanosecondsAndNoneDisables()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            HEALTHCHECK --interval=30s --timeout=3s --retries=2 CMD curl -f http://localhost/
            """);
        var health = builder.Config.Healthcheck!;
        CollectionAssert.AreEqual(new[] { "CMD-SHELL", "curl -f http://localhost/" }, health.Test!.ToList());
        Assert.AreEqual(30_000_000_000L, health.Interval);
        Assert.AreEqual(3_000_000_000L, health.Timeout);
        Assert.AreEqual(2, health.Retries);

        var disabled = await ApplyAsync("FROM scratch\nHEALTHCHECK NONE\n");
        CollectionAssert.AreEqual(new[] { "NONE" }, disabled.Config.Healthcheck!.Test!.ToList());
    }

    [TestMethod]
    public async Task UserVolumeStopSignalOnbuildAndMaintainerAreRecorded()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            USER app:app
            VOLUME ["/data", "/logs"]
            STOPSIGNAL SIGTERM
            ONBUILD COPY . /src
            MAINTAINER someone@example.com
            """);
        Assert.AreEqual("app:app", builder.Config.User);
        CollectionAssert.AreEquivalent(new[] { "/data", "/logs" }, builder.Config.Volumes!.Keys.ToList());
        Assert.AreEqual("SIGTERM", builder.Config.StopSignal);
        CollectionAssert.AreEqual(new[] { "COPY . /src" }, builder.Config.OnBuild!.ToList());
        Assert.AreEqual("someone@example.com", builder.Author);
    }

    [TestMethod]
    public async Task EveryMetadataInstructionLeavesAnEmptyLayerHistoryEntry()
    {
        var builder = await ApplyAsync("""
            FROM scratch
            ARG VERSION=1
            ENV V=$VERSION
            WORKDIR /app
            CMD ["./app"]
            """);
        CollectionAssert.AreEqual(new[] { "ARG VERSION=1", "ENV V=1", "WORKDIR /app", "CMD [\"./app\"]" },
            builder.History.Select(h => h.CreatedBy).ToList());
        Assert.IsTrue(builder.History.All(h => h.EmptyLayer && h.Created == Created));
    }
}
