using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Instructions;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>Typed instructions: flags, mounts, forms and their errors.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class InstructionModelTests
{
    private static Instruction Single(string line) => DockerfileLoader.Load(line, "Dockerfile").Instructions[0];

    [TestMethod]
    public void RunMountsAreTyped()
    {
        var run = (RunInstruction)Single("RUN --mount=type=cache,target=/root/.nuget,sharing=locked,id=nuget --mount=type=secret,id=token,required "
            + "--mount=type=ssh --mount=type=tmpfs,dst=/tmp,size=64m --mount=from=build,source=/out,target=/in,rw --network=none make");

        Assert.AreEqual(new CacheMount("/root/.nuget", "nuget", CacheSharing.Locked, null, null, false, null, null, null), run.Mounts[0]);
        Assert.AreEqual(new SecretMount("token", "/run/secrets/token", null, true, null, null, null), run.Mounts[1]);
        Assert.AreEqual(new SshMount("default", null, false, null, null, null), run.Mounts[2]);
        Assert.AreEqual(new TmpfsMount("/tmp", "64m"), run.Mounts[3]);
        Assert.AreEqual(new BindMount("/in", "build", "/out", true), run.Mounts[4]);
        Assert.AreEqual(RunNetwork.None, run.Network);
        CollectionAssert.AreEqual(new[] { "make" }, run.Command.Arguments.ToArray());
    }

    [TestMethod]
    public void SecretAndSshMountsFollowBuildKitsDefaults()
    {
        var run = (RunInstruction)Single("RUN --mount=type=secret,src=npm,target=/root/.npmrc,mode=0440 --mount=type=secret,id=a/b,env=B "
            + "--mount=type=secret,id=tools/key --mount=type=ssh,id=github,required=true,uid=1000 make");

        Assert.AreEqual(new SecretMount("npm", "/root/.npmrc", null, false, "0440", null, null), run.Mounts[0], "src names the secret, as id does");
        Assert.AreEqual(new SecretMount("a/b", null, "B", false, null, null, null), run.Mounts[1], "env= alone mounts no file");
        Assert.AreEqual("/run/secrets/key", run.Mounts[2].Target, "the default target is named after the id's last element");
        Assert.AreEqual(new SshMount("github", null, true, null, "1000", null), run.Mounts[3], "the step numbers the default /run/buildkit/ssh_agent.<n> targets");
    }

    [TestMethod]
    public void CopyFlagsAreTyped()
    {
        var copy = (CopyInstruction)Single("COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=obj a b /dst/");

        Assert.AreEqual("build", copy.From);
        Assert.IsTrue(copy.Parents);
        Assert.AreEqual(new FileTransfer(copy.Files.SourcePaths, copy.Files.SourceContents, "/dst/", "app:app", "0755", true, copy.Files.Excludes), copy.Files);
        CollectionAssert.AreEqual(new[] { "*.md", "obj" }, copy.Files.Excludes.ToArray());
        CollectionAssert.AreEqual(new[] { "a", "b" }, copy.Files.SourcePaths.ToArray());
    }

    [TestMethod]
    public void HealthcheckDurations()
    {
        var health = (HealthcheckInstruction)Single("HEALTHCHECK --interval=1m30s --timeout=2.5s --start-period=100ms --start-interval=1s --retries=3 CMD [\"curl\", \"-f\", \"x\"]");

        CollectionAssert.AreEqual(new[] { "CMD", "curl", "-f", "x" }, health.Test.ToArray());
        Assert.AreEqual(TimeSpan.FromSeconds(90), health.Interval);
        Assert.AreEqual(TimeSpan.FromSeconds(2.5), health.Timeout);
        Assert.AreEqual(TimeSpan.FromMilliseconds(100), health.StartPeriod);
        Assert.AreEqual(3, health.Retries);
        Assert.IsTrue(((HealthcheckInstruction)Single("HEALTHCHECK NONE")).Disables);
    }

    [TestMethod]
    public void FromEnvArgOnbuild()
    {
        Assert.AreEqual(new FromInstruction(new(1, 1, 1), "img:1", "build", "$BUILDPLATFORM"), Single("from --platform=$BUILDPLATFORM img:1 as Build"));
        var env = (EnvInstruction)Single("ENV A=1 B=\"two words\"");
        CollectionAssert.AreEqual(new[] { new KeyValue("A", "1"), new KeyValue("B", "\"two words\"") }, env.Variables.ToArray());
        var arg = (ArgInstruction)Single("ARG A B=2");
        CollectionAssert.AreEqual(new[] { new ArgDeclaration("A", null), new ArgDeclaration("B", "2") }, arg.Args.ToArray());
        var onbuild = (OnbuildInstruction)Single("ONBUILD COPY . /app");
        Assert.AreEqual("COPY . /app", onbuild.Expression);
        Assert.IsInstanceOfType<CopyInstruction>(onbuild.Trigger);
    }

    [TestMethod]
    [DataRow("RUN --mount=type=nfs,target=/x true", ErrorCodes.InvalidRunMount)]
    [DataRow("RUN --mount=type=cache true", ErrorCodes.InvalidRunMount)]
    [DataRow("RUN --mount=type=cache,target=/x,sharing=wide true", ErrorCodes.InvalidRunMount)]
    [DataRow("RUN --mount=type=cache,target=/x,mode=999 true", ErrorCodes.InvalidRunMount)]
    [DataRow("RUN --mount=type=cache,target=/x,color=red true", ErrorCodes.InvalidRunMount)]
    [DataRow("RUN --network=bridge true", ErrorCodes.InvalidInstructionFlag)]
    [DataRow("COPY --link=maybe a b", ErrorCodes.InvalidInstructionFlag)]
    [DataRow("COPY --from a b", ErrorCodes.InvalidInstructionFlag)]
    [DataRow("COPY --from=a --from=b a b", ErrorCodes.InvalidInstructionFlag)]
    [DataRow("CMD --doit [\"a\"]", ErrorCodes.UnknownInstructionFlag)]
    [DataRow("SHELL /bin/sh -c", ErrorCodes.JsonFormRequired)]
    [DataRow("FROM a AS 1stage", ErrorCodes.InvalidFromInstruction)]
    [DataRow("FROM a b", ErrorCodes.InstructionArgumentCount)]
    [DataRow("HEALTHCHECK --retries=-1 CMD true", ErrorCodes.InvalidHealthcheck)]
    [DataRow("HEALTHCHECK --timeout=soon CMD true", ErrorCodes.InvalidHealthcheck)]
    [DataRow("HEALTHCHECK NONE extra", ErrorCodes.InvalidHealthcheck)]
    [DataRow("HEALTHCHECK CONNECT tcp", ErrorCodes.InvalidHealthcheck)]
    [DataRow("ONBUILD MAINTAINER me", ErrorCodes.InvalidOnbuildTrigger)]
    [DataRow("VOLUME [\"\"]", ErrorCodes.InvalidInstructionArgument)]
    [DataRow("RUN <<EOF\nnever ends", ErrorCodes.UnterminatedHeredoc)]
    [DataRow("# escape=x\nFROM a", ErrorCodes.InvalidParserDirective)]
    [DataRow("# escape=`\n# escape=`\nFROM a", ErrorCodes.InvalidParserDirective)]
    [DataRow("FROM a\nFROBNICATE", ErrorCodes.UnknownInstruction)]
    public void InvalidInputIsAPositionedError(string dockerfile, string code)
    {
        var error = Assert.ThrowsExactly<ContainerizeException>(() => DockerfileLoader.Load(dockerfile, "Dockerfile"));

        Assert.AreEqual(code, error.Code, error.Message);
        Assert.IsNotNull(error.Location);
        Assert.IsGreaterThanOrEqualTo(1, error.Location.Line);
    }
}
