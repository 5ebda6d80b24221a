using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Planning;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Tests.Builders;

[TestCategory("Unit")]
[TestClass]
public class RunCommandTests
{
    private static readonly string[] Sh = ["/bin/sh", "-c"];

    private static RunInstruction Run(string text) =>
        DockerfileLoader.Load("FROM scratch\n" + text, "Dockerfile").Instructions.OfType<RunInstruction>().Single();

    [TestMethod]
    public void ShellFormRunsThroughTheShell()
    {
        var command = RunCommand.Create(Run("RUN echo hello  world"), Sh, [], []);

        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "echo hello  world" }, command.Argv.ToList());
        Assert.AreEqual("RUN /bin/sh -c echo hello  world", command.History);
        Assert.IsNull(command.Script);
    }

    [TestMethod]
    public void ExecFormRunsAsWrittenWhateverTheShell()
    {
        var command = RunCommand.Create(Run("RUN [\"/bin/echo\", \"a b\"]"), ["/bin/bash", "-xc"], [], []);

        CollectionAssert.AreEqual(new[] { "/bin/echo", "a b" }, command.Argv.ToList());
        Assert.AreEqual("RUN /bin/echo a b", command.History);
    }

    [TestMethod]
    public void ALoneHeredocIsTheShellsScript()
    {
        var command = RunCommand.Create(Run("RUN <<-EOF\n\techo one\n\techo two\n\tEOF\n"), Sh, [], []);

        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "echo one\necho two\n" }, command.Argv.ToList());
    }

    [TestMethod]
    public void AHeredocWithAShebangRunsAsAFile()
    {
        var command = RunCommand.Create(Run("RUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\n"), Sh, [], []);

        Assert.AreEqual(new RunScript("EOF", "#!/usr/bin/env python3\nprint('hi')\n"), command.Script);
        CollectionAssert.AreEqual(new[] { "/dev/pipes/EOF" }, command.Argv.ToList());
    }

    [TestMethod]
    public void OtherHeredocsGoToTheShellWhole()
    {
        var command = RunCommand.Create(Run("RUN cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB\n"), Sh, [], []);

        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB" }, command.Argv.ToList());
    }

    [TestMethod]
    public void ArgsJoinTheEnvironmentBelowEnvAndAreListedInHistory()
    {
        string[] imageEnv = ["PATH=/bin", "MODE=env"];
        BuildArgValue[] args = [new("VERSION", "1.2"), new("MODE", "arg")];
        BuildArgValue[] proxies = [new("HTTP_PROXY", "http://proxy:3128")];

        var environment = RunCommand.Environment(imageEnv, args, proxies);
        var command = RunCommand.Create(Run("RUN make"), Sh, environment, args);

        CollectionAssert.AreEqual(new[] { "PATH=/bin", "MODE=env", "VERSION=1.2", "HTTP_PROXY=http://proxy:3128" }, environment.ToList());
        CollectionAssert.AreEqual(new[] { RunCommand.DefaultPath }, RunCommand.Environment([], [], []).ToList(), "an image without PATH gets Docker's default");
        Assert.AreEqual("RUN |2 VERSION=1.2 MODE=env /bin/sh -c make", command.History, "proxy args stay out of history; ENV shadows an arg");
    }
}
