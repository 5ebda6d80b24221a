using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// What a Dockerfile build reads besides its context, as the MSBuild items and the CLI options give
/// it: named contexts, build arguments, secrets and SSH agents, each error naming the setting.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class BuildSourceSettingTests
{
    [TestMethod]
    public void ANamedContextIsAFolderFromTheBaseOrAnImageKeptAsGiven()
    {
        var contexts = NamedContextSetting.ParseAll(
            [KeyValuePair.Create("assets", " shared/assets "), KeyValuePair.Create("base", "docker-image://busybox:1.36"), KeyValuePair.Create("Assets", "/srv/assets")],
            "/work", "--build-context");

        Assert.AreEqual(2, contexts.Count, "names are case-insensitive; the later one wins");
        Assert.AreEqual("/srv/assets", contexts["assets"]);
        Assert.AreEqual("docker-image://busybox:1.36", contexts["base"]);
        Assert.AreEqual("/work/shared/assets", NamedContextSetting.Parse("assets", "shared/assets", "/work", "ContainerBuildContexts"));
    }

    [TestMethod]
    [DataRow("assets", " ", "ContainerBuildContexts 'assets' has no value: give it a folder or docker-image://<reference>.")]
    [DataRow("my assets", "dir", "--build-context name 'my assets' is not valid: use a name without spaces or '=', such as 'assets'.")]
    public void ANamedContextWithoutAValueOrWithABadNameNamesTheSetting(string name, string value, string message)
    {
        string setting = message.StartsWith("--", StringComparison.Ordinal) ? "--build-context" : "ContainerBuildContexts";
        var e = Assert.ThrowsExactly<ContainerizeException>(() => NamedContextSetting.Parse(name, value, "/work", setting));

        Assert.AreEqual(ErrorCodes.InvalidNamedContext, e.Code);
        Assert.AreEqual(message, e.Message);
    }

    [TestMethod]
    public void ABuildArgumentWithoutAValueIsTheEnvironmentVariableOfItsName()
    {
        string name = "CTZ_TEST_ARG_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-environment");
        try
        {
            var arguments = BuildArgSetting.Parse(
                [BuildArgSetting.Split($"{name}"), BuildArgSetting.Split("GREETING=hello=world"), BuildArgSetting.Split("EMPTY="), BuildArgSetting.Split("CTZ_TEST_UNSET_ARG")],
                "--build-arg");

            Assert.AreEqual("from-environment", arguments[name]);
            Assert.AreEqual("hello=world", arguments["GREETING"]);
            Assert.AreEqual("", arguments["EMPTY"]);
            Assert.IsFalse(arguments.ContainsKey("CTZ_TEST_UNSET_ARG"), "a name alone whose variable is unset passes nothing, as docker build does");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [TestMethod]
    public void ABuildArgumentWithoutANameNamesTheSetting()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => BuildArgSetting.Parse([BuildArgSetting.Split("=x")], "--build-arg"));

        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.StartsWith(e.Message, "--build-arg '' has no name");
    }

    [TestMethod]
    public void ASecretComesFromAFileOrAnEnvironmentVariable()
    {
        var file = SecretSetting.ParseCommandLine("id=npmrc,src=secrets/.npmrc", "/work", "--secret");
        var variable = SecretSetting.ParseCommandLine("type=env,id=token,env=API_TOKEN", "/work", "--secret");
        var item = SecretSetting.Parse(" key ", "key.pem", "", "/project", "ContainerSecret");

        Assert.AreEqual(("npmrc", "/work/secrets/.npmrc"), (file.Key, file.Value.FilePath));
        Assert.AreEqual(("token", "API_TOKEN"), (variable.Key, variable.Value.EnvironmentVariable));
        Assert.AreEqual(("key", "/project/key.pem"), (item.Key, item.Value.FilePath));
    }

    [TestMethod]
    [DataRow("id=a,src=f,env=V", "--secret 'a' has both a file and an environment variable: keep the one the secret comes from.")]
    [DataRow("src=f", "--secret has a secret without an id: give each secret an id, such as id=npmrc.")]
    [DataRow("id=a,mode=0400", "--secret 'id=a,mode=0400' has the unknown field 'mode=0400': use id=ID with src=PATH or env=VARIABLE.")]
    public void ABadSecretNamesTheSetting(string text, string message)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => SecretSetting.ParseCommandLine(text, "/work", "--secret"));

        Assert.AreEqual(ErrorCodes.InvalidSecretSource, e.Code);
        Assert.AreEqual(message, e.Message);
    }

    [TestMethod]
    public void AnSshAgentIsASocketFromTheBase()
    {
        var agents = SshAgentSetting.ParseCommandLine(["deploy=agent.sock", "other=/run/ssh.sock"], "/work", "--ssh");

        Assert.AreEqual("/work/agent.sock", agents["deploy"]);
        Assert.AreEqual("/run/ssh.sock", agents["other"]);
    }

    [TestMethod]
    public void TheCommandLineForwardsOnlyTheAgentsItNames()
    {
        Assert.IsEmpty(SshAgentSetting.ParseCommandLine([], "/work", "--ssh", agent: "/run/user/agent"), "docker build forwards no agent without --ssh");
        Assert.AreEqual("/run/user/agent", SshAgentSetting.ParseCommandLine(["default"], "/work", "--ssh", agent: "/run/user/agent")["default"]);
    }

    [TestMethod]
    public void MsBuildForwardsTheUsersAgentAsDefault()
    {
        var agents = SshAgentSetting.Parse([], "/work", "ContainerSsh", agentIsDefault: true, agent: "/run/user/agent");

        Assert.AreEqual("/run/user/agent", agents["default"]);
    }
}
