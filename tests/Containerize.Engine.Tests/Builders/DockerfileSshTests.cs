using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// RUN --mount=type=ssh against a real ssh-agent started by the test: inside the step the real
/// OpenSSH client (<c>ssh-add -l</c>, run through the dynamic loader from a bind mount, since
/// busybox has neither ssh-add nor a Unix-socket netcat) lists the agent's key through the
/// forwarded socket.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class DockerfileSshTests : DockerfileBuildTest
{
    private const string SshAdd = "/opt/ssh/ld.so --library-path /opt/ssh /opt/ssh/ssh-add";
    private readonly TestSshAgent _agent;

    public DockerfileSshTests()
        : base("ctz-ssh-build")
    {
        TestSshAgent.StageSshAdd(Path.Combine(Context, "sshtools"));
        Directory.CreateDirectory(Temp.Combine("agent"));
        _agent = new TestSshAgent(Temp.Combine("agent"), "ctz-test-key");
    }

    public override void Dispose()
    {
        _agent.Dispose();
        base.Dispose();
    }

    [TestMethod]
    public async Task TheStepReachesTheAgentThroughItsDefaultSocket()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=ssh --mount=type=bind,source=sshtools,target=/opt/ssh echo "$SSH_AUTH_SOCK" > /sock && stat -c '%F %a %u:%g' "$SSH_AUTH_SOCK" > /stat && {SshAdd} -l > /keys
            """, ("default", _agent.Socket));

        var layer = result.Image.Layers[^1];
        Assert.AreEqual("/run/buildkit/ssh_agent.0\n", Content(layer, "sock"), "BuildKit's default target, and SSH_AUTH_SOCK points at it");
        Assert.AreEqual("socket 600 0:0\n", Content(layer, "stat"));
        Assert.AreEqual(_agent.Keys, Content(layer, "keys"), "ssh-add -l inside lists the agent's key");
        StringAssert.Contains(Content(layer, "keys"), "ctz-test-key");
        CollectionAssert.AreEquivalent(new[] { "sock", "stat", "keys" }, Entries(layer).Keys.ToList(), "no /run/buildkit or /opt/ssh mount point in the layer");
    }

    [TestMethod]
    public async Task ANamedAgentAtACustomTargetServesAnotherUser()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            USER app
            RUN --mount=type=ssh,id=deploy,target=/tmp/agent.sock,uid=1654 --mount=type=bind,source=sshtools,target=/opt/ssh echo "$SSH_AUTH_SOCK" > /tmp/sock && {SshAdd} -l > /tmp/keys
            """, ("deploy", _agent.Socket));

        var layer = result.Image.Layers[^1];
        Assert.AreEqual("/tmp/agent.sock\n", Content(layer, "tmp/sock"));
        Assert.AreEqual(_agent.Keys, Content(layer, "tmp/keys"), "the agent answers a step that runs as uid 1654 (the proxy connects as the build's user)");
        Assert.IsFalse(Entries(layer).ContainsKey("tmp/agent.sock"));
    }

    [TestMethod]
    public async Task ARequiredAgentThatIsMissingFailsAtItsLine()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=ssh,required=true true
            """));

        Assert.AreEqual(ErrorCodes.SshAgentRequired, e.Code);
        Assert.AreEqual(2, e.Location!.Line);
        StringAssert.Contains(e.Message, "SSH_AUTH_SOCK");
    }

    [TestMethod]
    public async Task AnOptionalAgentThatIsMissingIsSkipped()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=ssh,id=other test ! -e /run/buildkit/ssh_agent.0 && ! env | grep -q ^SSH_AUTH_SOCK= && echo skipped > /skipped
            """, ("default", _agent.Socket));

        Assert.AreEqual("skipped\n", Content(result.Image.Layers[^1], "skipped"));
    }

    private Task<BuildResult> BuildAsync(string dockerfile, params (string Id, string Socket)[] agents)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            SshAgents = agents.ToDictionary(a => a.Id, a => a.Socket),
        };
        var outputs = new ImageOutputs { RepositoryName = "test/ssh", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
    }

}
