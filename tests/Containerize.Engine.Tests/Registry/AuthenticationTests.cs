using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Registry;

[TestCategory("Registry")]
[TestClass]
public sealed class AuthenticationTests
{
    private const string User = "builder";
    private const string Password = "correct horse";
    private static RegistryServer s_basic = null!;
    private static TokenServer s_tokens = null!;
    private static RegistryServer s_token = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void StartRegistries(TestContext _)
    {
        s_basic = RegistryServer.StartWithBasicAuth(User, Password);
        s_tokens = new TokenServer(new Dictionary<string, string> { [User] = Password });
        s_token = RegistryServer.StartWithTokenAuth(s_tokens);
    }

    [ClassCleanup]
    public static void StopRegistries()
    {
        s_basic?.Dispose();
        s_token?.Dispose();
        s_tokens?.Dispose();
    }

    private static Dictionary<string, string> SdkCredentials(string password) => new()
    {
        ["DOTNET_CONTAINER_REGISTRY_UNAME"] = User,
        ["DOTNET_CONTAINER_REGISTRY_PWORD"] = password,
    };

    private async Task<PushResult> PushAsync(RegistryServer registry, IReadOnlyDictionary<string, string>? environment, string repository)
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "auth-" + repository);
        using var session = TestSessions.Create(environment);
        return await session.PushAsync(image, ImageReference.Parse($"{registry.Host}/{repository}:1"), [], store, TestContext.CancellationToken);
    }

    [TestMethod]
    public async Task BasicAuthenticationWithTheRightPasswordPushes()
    {
        var result = await PushAsync(s_basic, SdkCredentials(Password), "basic/ok");
        using var inspected = Skopeo.Inspect($"{s_basic.Host}/basic/ok:1", $"{User}:{Password}");
        Assert.AreEqual(result.ManifestDigest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
    }

    [TestMethod]
    public async Task BasicAuthenticationWithAWrongPasswordFailsWithTheRegistryMessage()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PushAsync(s_basic, SdkCredentials("wrong"), "basic/wrong"));
        Assert.AreEqual(ErrorCodes.RegistryAuthenticationFailed, e.Code);
        StringAssert.Contains(e.Message, s_basic.Host);
        StringAssert.Contains(e.Message, "the registry says \"");
        StringAssert.Contains(e.Message, "DOTNET_CONTAINER_REGISTRY_UNAME");
    }

    [TestMethod]
    public async Task NoCredentialsForAProtectedRegistrySaysHowToLogIn()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PushAsync(s_basic, null, "basic/none"));
        Assert.AreEqual(ErrorCodes.RegistryAuthenticationFailed, e.Code);
        StringAssert.Contains(e.Message, "docker login " + s_basic.Host);
    }

    [TestMethod]
    public async Task CredentialsFromADockerConfigHelperAreUsedForPushing()
    {
        using var home = new TempDirectory();
        string bin = home.Combine("bin");
        Directory.CreateDirectory(bin);
        string helper = Path.Combine(bin, "docker-credential-test");
        File.WriteAllText(helper, $"#!/bin/sh\ncat >/dev/null\necho '{{\"Username\":\"{User}\",\"Secret\":\"{Password}\"}}'\n");
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), "{\"credHelpers\":{\"" + s_basic.Host + "\":\"test\"}}");

        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "helper-push");
        using var session = TestSessions.Create(new Dictionary<string, string> { ["PATH"] = bin + ":/usr/bin:/bin" }, home.Path);
        var result = await session.PushAsync(image, ImageReference.Parse($"{s_basic.Host}/basic/helper:1"), [], store, TestContext.CancellationToken);

        Assert.AreEqual(2, result.BlobsUploaded);
    }

    [TestMethod]
    public async Task TokenAuthenticationWithTheRightPasswordPushesAndPulls()
    {
        var result = await PushAsync(s_token, SdkCredentials(Password), "token/ok");
        Assert.AreEqual(2, result.BlobsUploaded);

        using var dir = new TempDirectory();
        using var session = TestSessions.Create(SdkCredentials(Password));
        var resolved = await session.ResolveAsync(ImageReference.Parse($"{s_token.Host}/token/ok:1"), Platform.Parse("linux/amd64"),
            new BlobStore(dir.Path), TestContext.CancellationToken);
        Assert.AreEqual(result.ManifestDigest, resolved.ManifestDigest);
    }

    [TestMethod]
    public async Task TokenAuthenticationMountsAcrossRepositories()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var image = TestImages.Create(store, "token-mount");
        using var session = TestSessions.Create(SdkCredentials(Password));
        await session.PushAsync(image, ImageReference.Parse($"{s_token.Host}/token/base:1"), [], store, TestContext.CancellationToken);

        using var freshDir = new TempDirectory();
        var derived = TestImages.WithOrigin(image, ImageReference.Parse($"{s_token.Host}/token/base:1"));
        var result = await session.PushAsync(derived, ImageReference.Parse($"{s_token.Host}/token/derived:1"), [], new BlobStore(freshDir.Path), TestContext.CancellationToken);
        Assert.AreEqual(1, result.BlobsMounted);
    }

    [TestMethod]
    public async Task TokenAuthenticationWithAWrongPasswordFailsWithTheTokenServiceMessage()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PushAsync(s_token, SdkCredentials("wrong"), "token/wrong"));
        Assert.AreEqual(ErrorCodes.RegistryAuthenticationFailed, e.Code);
        StringAssert.Contains(e.Message, "invalid username or password");
    }

    [TestMethod]
    public async Task AnonymousTokensWithoutAccessFailWithAuthenticationAdvice()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PushAsync(s_token, null, "token/anonymous"));
        Assert.AreEqual(ErrorCodes.RegistryAuthenticationFailed, e.Code);
        StringAssert.Contains(e.Message, "No credentials were found");
    }
}
