using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Registry;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Registry;

[TestCategory("Unit")]
[TestClass]
public sealed class CredentialResolverTests
{
    public TestContext TestContext { get; set; } = null!;

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private Task<RegistryCredentials?> ResolveAsync(string registry, Dictionary<string, string> environment, string home) =>
        new CredentialResolver(n => environment.GetValueOrDefault(n), home, NullBuildLog.Instance).ResolveAsync(registry, TestContext.CancellationToken);

    /// <summary>A fake credential helper that echoes the server URL it was asked for inside the secret.</summary>
    private static string WriteHelper(TempDirectory dir, string name, string script)
    {
        string bin = dir.Combine("bin");
        Directory.CreateDirectory(bin);
        string path = Path.Combine(bin, "docker-credential-" + name);
        File.WriteAllText(path, "#!/bin/sh\n" + script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin + ":/usr/bin:/bin";
    }

    private const string EchoingHelper = """
        read url
        printf '{"ServerURL":"%s","Username":"helper-user","Secret":"secret-for-%s"}' "$url" "$url"
        """;

    [TestMethod]
    public async Task SdkEnvironmentVariablesWinOverEverything()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """{"auths":{"r.example.com":{"auth":"AUTH0"}}}""".Replace("AUTH0", Auth("file", "f")));
        var env = new Dictionary<string, string> { ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "env", ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "e" };
        var c = await ResolveAsync("r.example.com", env, home.Path);
        Assert.AreEqual(("env", "e"), (c!.Username, c.Password));
    }

    [TestMethod]
    public async Task OlderSdkVariablesAreRead()
    {
        using var home = new TempDirectory();
        var env = new Dictionary<string, string> { ["SDK_CONTAINER_REGISTRY_UNAME"] = "old", ["SDK_CONTAINER_REGISTRY_PWORD"] = "o" };
        var c = await ResolveAsync("r.example.com", env, home.Path);
        Assert.AreEqual("old", c!.Username);
    }

    [TestMethod]
    [DataRow("r.example.com:5000", "r.example.com:5000")]
    [DataRow("https://r.example.com:5000", "r.example.com:5000")]
    [DataRow("https://index.docker.io/v1/", "docker.io")]
    public async Task DockerConfigAuthsAreMatchedByNormalizedKey(string key, string registry)
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """{"auths":{"KEY1":{"auth":"AUTH0"}}}""".Replace("AUTH0", Auth("me", "p:w")).Replace("KEY1", key));
        var c = await ResolveAsync(registry, [], home.Path);
        Assert.AreEqual(("me", "p:w"), (c!.Username, c.Password));
        Assert.IsNull(await ResolveAsync("other.example.com", [], home.Path));
    }

    [TestMethod]
    public async Task DockerConfigEnvironmentVariableChoosesTheFolder()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("config.json"), """{"auths":{"r.example.com":{"identitytoken":"refresh-me"}}}""");
        var c = await ResolveAsync("r.example.com", new() { ["DOCKER_CONFIG"] = dir.Path }, "/nonexistent");
        Assert.AreEqual("refresh-me", c!.IdentityToken);
    }

    [TestMethod]
    public async Task CredHelpersRunTheHelperWithTheServerUrlOnStdin()
    {
        using var home = new TempDirectory();
        string path = WriteHelper(home, "test", EchoingHelper);
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """
            {"credHelpers":{"r.example.com":"test","index.docker.io":"test"},"auths":{"r.example.com":{"auth":"AUTH0"}}}
            """.Replace("AUTH0", Auth("file", "f")));
        var c = await ResolveAsync("r.example.com", new() { ["PATH"] = path }, home.Path);
        Assert.AreEqual(("helper-user", "secret-for-r.example.com"), (c!.Username, c.Password));
        var hub = await ResolveAsync("docker.io", new() { ["PATH"] = path }, home.Path);
        Assert.AreEqual("secret-for-https://index.docker.io/v1/", hub!.Password);
    }

    [TestMethod]
    public async Task CredsStoreIsUsedAfterAuths()
    {
        using var home = new TempDirectory();
        string path = WriteHelper(home, "test", EchoingHelper);
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """{"credsStore":"test","auths":{"a.example.com":{"auth":"AUTH0"}}}""".Replace("AUTH0", Auth("file", "f")));
        Assert.AreEqual("file", (await ResolveAsync("a.example.com", new() { ["PATH"] = path }, home.Path))!.Username);
        Assert.AreEqual("helper-user", (await ResolveAsync("b.example.com", new() { ["PATH"] = path }, home.Path))!.Username);
    }

    [TestMethod]
    public async Task AHelperThatHasNoCredentialsFallsThroughToPodman()
    {
        using var home = new TempDirectory();
        string path = WriteHelper(home, "test", "echo 'credentials not found in native keychain'; exit 1\n");
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """{"credsStore":"test"}""");
        Directory.CreateDirectory(home.Combine(".config", "containers"));
        File.WriteAllText(home.Combine(".config", "containers", "auth.json"), """{"auths":{"r.example.com/team":{"auth":"AUTH0"}}}""".Replace("AUTH0", Auth("podman", "p")));
        var c = await ResolveAsync("r.example.com", new() { ["PATH"] = path }, home.Path);
        Assert.AreEqual("podman", c!.Username);
    }

    [TestMethod]
    public async Task AFailingHelperIsReportedWithItsMessage()
    {
        using var home = new TempDirectory();
        string path = WriteHelper(home, "test", "echo 'keychain locked' >&2; exit 3\n");
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """{"credHelpers":{"r.example.com":"test"}}""");
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => ResolveAsync("r.example.com", new() { ["PATH"] = path }, home.Path));
        Assert.AreEqual(ErrorCodes.CredentialHelperFailed, e.Code);
        StringAssert.Contains(e.Message, "keychain locked");
    }

    [TestMethod]
    public async Task AMissingCredsStoreHelperIsSkipped()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), """{"credsStore":"desktop"}""");
        Assert.IsNull(await ResolveAsync("r.example.com", new() { ["PATH"] = "/nonexistent" }, home.Path));
    }

    [TestMethod]
    public async Task PodmanAuthFilesAreFoundByRegistryAuthFileAndXdgRuntimeDir()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("explicit.json"), """{"auths":{"r.example.com":{"auth":"AUTH0"}}}""".Replace("AUTH0", Auth("explicit", "e")));
        Directory.CreateDirectory(dir.Combine("run", "containers"));
        File.WriteAllText(dir.Combine("run", "containers", "auth.json"), """{"auths":{"r.example.com":{"auth":"AUTH0"}}}""".Replace("AUTH0", Auth("runtime", "r")));

        Assert.AreEqual("explicit", (await ResolveAsync("r.example.com", new() { ["REGISTRY_AUTH_FILE"] = dir.Combine("explicit.json"), ["XDG_RUNTIME_DIR"] = dir.Combine("run") }, dir.Path))!.Username);
        Assert.AreEqual("runtime", (await ResolveAsync("r.example.com", new() { ["XDG_RUNTIME_DIR"] = dir.Combine("run") }, dir.Path))!.Username);
    }

    [TestMethod]
    public async Task AnUnreadableConfigIsIgnored()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), "{ not json");
        Assert.IsNull(await ResolveAsync("r.example.com", [], home.Path));
    }

    [TestMethod]
    public void InsecureRegistriesComeFromOptionsAndTheSdkVariable()
    {
        using var transport = new RegistryTransport(new RegistryOptions
        {
            InsecureRegistries = ["a.example.com:5000"],
            GetEnvironmentVariable = n => n == RegistryOptions.InsecureRegistriesEnvironmentVariable ? "b.example.com, c.example.com:443" : null,
        });
        Assert.IsTrue(transport.IsInsecure("a.example.com:5000"));
        Assert.IsFalse(transport.IsInsecure("a.example.com:6000"));
        Assert.IsTrue(transport.IsInsecure("b.example.com:1234"));
        Assert.IsTrue(transport.IsInsecure("c.example.com:443"));
        Assert.IsFalse(transport.IsInsecure("d.example.com"));
    }
}
