using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// <c>dotnet publish -t:BuildImage</c> with ContainerSecret items (a file and an environment
/// variable) and the default SSH agent ($SSH_AUTH_SOCK): the RUN steps see them; the pushed image,
/// copied blob by blob with skopeo, and the build's output hold neither secret.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class SecretBuildTests
{
    [TestMethod]
    public async Task ContainerSecretItemsReachRunStepsButNotThePushedImage()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "SecretApp");
        using var outside = new TempDirectory("ctz-secret-source");
        string registry = EndToEndEnvironment.Registry.Host;
        string fileSecret = "ctz-file-secret-" + Guid.NewGuid().ToString("N");
        string envSecret = "ctz-env-secret-" + Guid.NewGuid().ToString("N");
        string secretFile = outside.Combine("npm_token.txt");
        await File.WriteAllTextAsync(secretFile, fileSecret);
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN --mount=type=secret,id=npm_token,required=true sha256sum /run/secrets/npm_token | cut -d' ' -f1 > /npm_token.sha256
            RUN --mount=type=secret,id=api_key,env=API_KEY,required=true printf %s "$API_KEY" | sha256sum | cut -d' ' -f1 > /api_key.sha256
            RUN --mount=type=ssh,required=true test -S "$SSH_AUTH_SOCK" && echo "$SSH_AUTH_SOCK" > /ssh_auth_sock
            COPY --from=publish . /app/
            """);
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>", $"""
              <ItemGroup>
                <ContainerSecret Include="npm_token" File="{secretFile}" />
                <ContainerSecret Include="api_key" Environment="CTZ_E2E_API_KEY" />
              </ItemGroup>
            </Project>
            """));

        string agentSocket = outside.Combine("agent.sock");
        using var agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", agentSocket]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            for (int i = 0; i < 500 && !File.Exists(agentSocket); i++) await Task.Delay(20);
            var build = (await project.BuildImageAsync([$"ContainerRegistry={registry}", "ContainerRepository=samples/secret", "ContainerImageTag=1"],
                new Dictionary<string, string?> { ["CTZ_E2E_API_KEY"] = envSecret, ["SSH_AUTH_SOCK"] = agentSocket }))
                .EnsureSuccess("dotnet publish -t:BuildImage");
            Assert.IsFalse(build.Output.Contains(fileSecret, StringComparison.Ordinal) || build.Output.Contains(envSecret, StringComparison.Ordinal), "the build output shows no secret");

            using var blobs = new TempDirectory("ctz-secret-blobs");
            await Skopeo.CopyToDirectoryAsync($"docker://{registry}/samples/secret:1", blobs.Path);
            Assert.IsGreaterThanOrEqualTo(5, SecretScan.CountFiles(blobs.Path), "manifest, config and the layers were copied");
            foreach (string secret in new[] { fileSecret, envSecret })
            {
                var found = SecretScan.FilesContaining(blobs.Path, Encoding.UTF8.GetBytes(secret));
                Assert.IsEmpty(found, $"a secret is in {string.Join(", ", found)}");
            }

            using var layout = new TempDirectory("ctz-secret-layout");
            (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{registry}/samples/secret:1", $"oci:{layout.Path}:1")).EnsureSuccess("skopeo copy");
            string bundle = layout.Combine("bundle");
            (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:1", bundle)).EnsureSuccess("umoci unpack");
            string rootfs = Path.Combine(bundle, "rootfs");
            Assert.AreEqual(Sha256(fileSecret), (await File.ReadAllTextAsync(Path.Combine(rootfs, "npm_token.sha256"))).Trim(), "the step read the file secret");
            Assert.AreEqual(Sha256(envSecret), (await File.ReadAllTextAsync(Path.Combine(rootfs, "api_key.sha256"))).Trim(), "the step saw the variable secret");
            Assert.AreEqual("/run/buildkit/ssh_agent.0\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "ssh_auth_sock")), "the default agent came from $SSH_AUTH_SOCK");
            Assert.IsFalse(Directory.Exists(Path.Combine(rootfs, "run", "secrets")) || Directory.Exists(Path.Combine(rootfs, "run", "buildkit")), "no mount point in the image");
        }
        finally
        {
            if (!agent.HasExited) agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
