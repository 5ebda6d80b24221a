using Containerize.Engine.Dockerfile.Instructions;
using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

/// <summary>
/// Dockerfile reference, "Environment replacement": the planner expands ADD, COPY, ENV, EXPOSE, FROM,
/// LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ARG and the listed flags, and leaves RUN, CMD,
/// ENTRYPOINT, SHELL and HEALTHCHECK to the shell in the container.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class PlannedExpansionTests
{
    private const string Prelude = "FROM scratch\nENV D=/data U=app P=8080 S=SIGTERM V=/vol SUM=sha256:abc MODE=0755 OWNER=1000:1000 PORTS=\"80 443/udp\"\n";

    private static async Task<T> Only<T>(string line) where T : Instruction =>
        (await PlanAsync(Prelude + line + "\n")).Steps<T>().Single();

    [TestMethod]
    public async Task CopyExpandsSourcesDestinationAndFlags()
    {
        var copy = await Only<CopyInstruction>("COPY --chown=$OWNER --chmod=$MODE ${D}/in \"$D/q\" $D/out/");

        CollectionAssert.AreEqual(new[] { "/data/in", "/data/q" }, copy.Files.SourcePaths.ToArray());
        Assert.AreEqual("/data/out/", copy.Files.Destination);
        Assert.AreEqual("1000:1000", copy.Files.Chown);
        Assert.AreEqual("0755", copy.Files.Chmod);
    }

    [TestMethod]
    public async Task AddExpandsChecksum()
    {
        var add = await Only<AddInstruction>("ADD --checksum=$SUM https://example.com/a.tgz $D/");

        Assert.AreEqual("sha256:abc", add.Checksum);
        Assert.AreEqual("/data/", add.Files.Destination);
    }

    [TestMethod]
    public async Task SingleWordInstructionsAreExpanded()
    {
        var plan = await PlanAsync(Prelude + "WORKDIR $D\nUSER ${U}:${U}\nSTOPSIGNAL $S\nVOLUME $V ${V}2\nLABEL \"$U.label\"=\"$D x\"\n");

        Assert.AreEqual("/data", plan.Steps<WorkdirInstruction>()[0].Path);
        Assert.AreEqual("app:app", plan.Steps<UserInstruction>()[0].User);
        Assert.AreEqual("SIGTERM", plan.Steps<StopSignalInstruction>()[0].Signal);
        CollectionAssert.AreEqual(new[] { "/vol", "/vol2" }, plan.Steps<VolumeInstruction>()[0].Paths.ToArray());
        Assert.AreEqual(new KeyValue("app.label", "/data x"), plan.Steps<LabelInstruction>()[0].Labels[0]);
    }

    [TestMethod]
    public async Task ExposeSplitsAnExpandedListOfPorts()
    {
        var expose = await Only<ExposeInstruction>("EXPOSE $P $PORTS");

        CollectionAssert.AreEqual(new[] { "8080", "80", "443/udp" }, expose.Ports.ToArray());
    }

    [TestMethod]
    public async Task RunMountOptionsAreExpandedButTheCommandIsNot()
    {
        var run = await Only<RunInstruction>("RUN --mount=type=cache,target=$D/cache,id=$U-cache,uid=${OWNER%%:*} echo $D");

        Assert.AreEqual("echo $D", run.Command.Arguments[0]);
        Assert.AreEqual(new CacheMount("/data/cache", "app-cache", CacheSharing.Shared, null, null, false, null, "1000", null), run.Mounts[0]);
    }

    [TestMethod]
    public async Task RunMountNumbersAreCheckedAfterExpansion()
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(
            () => PlanAsync(Prelude + "RUN --mount=type=cache,target=/c,uid=$U true\n"));

        Assert.AreEqual(ErrorCodes.InvalidRunMount, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 3, 1), error.Location);
    }

    [TestMethod]
    [DataRow("CMD echo $D", "echo $D")]
    [DataRow("ENTRYPOINT [\"/bin/sh\", \"-c\", \"echo $D\"]", "echo $D")]
    public async Task CommandsKeepTheirText(string line, string expected)
    {
        var plan = await PlanAsync(Prelude + line + "\n");

        var command = plan.Target.Steps[1].Instruction switch
        {
            CmdInstruction cmd => cmd.Command,
            EntrypointInstruction entrypoint => entrypoint.Command,
            var other => throw new AssertFailedException(other.Keyword),
        };
        Assert.AreEqual(expected, command.Arguments[^1]);
    }

    [TestMethod]
    public async Task ShellAndHealthcheckKeepTheirText()
    {
        var plan = await PlanAsync(Prelude + "SHELL [\"/bin/$U\", \"-c\"]\nHEALTHCHECK CMD curl localhost:$P\n");

        Assert.AreEqual("/bin/$U", plan.Steps<ShellInstruction>()[0].Shell[0]);
        CollectionAssert.AreEqual(new[] { "CMD-SHELL", "curl localhost:$P" }, plan.Steps<HealthcheckInstruction>()[0].Test.ToArray());
    }

    [TestMethod]
    public async Task TheDockerfileEscapeTokenIsUsed()
    {
        var plan = await PlanAsync("# escape=`\nFROM scratch\nENV A=x\nWORKDIR C:\\`$A\\$A\n");

        Assert.AreEqual("C:\\$A\\x", plan.Steps<WorkdirInstruction>()[0].Path);
    }

    [TestMethod]
    [DataRow("WORKDIR ${NOPE:?must be set}", ErrorCodes.RequiredVariableNotSet)]
    [DataRow("COPY ${D /a /b", ErrorCodes.UnterminatedSubstitution)]
    [DataRow("LABEL a=\"unterminated", ErrorCodes.UnterminatedQuote)]
    public async Task ExpansionErrorsArePositionedAtTheInstruction(string line, string code)
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync(Prelude + "\n  " + line + "\n"));

        Assert.AreEqual(code, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 4, 3), error.Location);
    }

    [TestMethod]
    public async Task ExpansionErrorInAFromLineIsPositioned()
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync("ARG V\nFROM alpine:${V:?}\n"));

        Assert.AreEqual(ErrorCodes.RequiredVariableNotSet, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 2, 1), error.Location);
    }
}
