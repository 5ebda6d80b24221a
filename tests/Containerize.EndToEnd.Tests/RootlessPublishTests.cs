using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// <c>dotnet publish -t:BuildImage</c> run by an ordinary user (made here with useradd, with the
/// /etc/subuid range Debian gives new users) through runuser: RUN steps get a user namespace mapped
/// from that range, so steps can switch users and files keep the container's owners.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class RootlessPublishTests
{
    private const string User = "ctz-e2e-rootless";

    [TestMethod]
    public async Task AnOrdinaryUserBuildsAnImageWhoseRunStepsSwitchUsers()
    {
        if ((await ProcessRunner.RunAsync("id", "-u", User)).ExitCode != 0)
        {
            (await ProcessRunner.RunAsync("useradd", "--create-home", User)).EnsureSuccess("useradd");
        }
        Assert.IsTrue(File.ReadLines("/etc/subuid").Any(l => l.StartsWith(User + ":", StringComparison.Ordinal)), $"{User} needs a subordinate id range");

        using var project = await SampleProject.CreateConsoleAsync(name: "RootlessApp");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, ".dockerignore"), "bin/\nobj/\n");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            RUN mkdir -p /home/app && chown 1654:1654 /home/app && id -u > /built-as
            USER app
            WORKDIR /home/app
            RUN echo "made by $(id -un)" > note.txt && chmod 600 note.txt
            COPY --from=publish . /app/
            """);
        // The user's own NuGet folder, CLI home and a project folder it owns; the feed and the SDK are readable by everyone.
        string home = $"/home/{User}";
        using var store = new TempDirectory("ctz-rootless-store");
        ExternalTool.RunChecked("chown", "-R", $"{User}:{User}", project.Directory, store.Path);
        ExternalTool.RunChecked("chmod", "755", Path.GetDirectoryName(project.Directory)!);
        string registry = EndToEndEnvironment.Registry.Host;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var environment = new Dictionary<string, string?>(project.Environment)
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages"),
            ["TMPDIR"] = null,
        };
        var build = await ProcessRunner.RunAsync("runuser",
            ["-u", User, "--", dotnet, "publish", project.ProjectFile, "-c", "Release", "-t:BuildImage", "-nodeReuse:false", "-v:n",
             $"-p:ContainerRegistry={registry}", "-p:ContainerRepository=samples/rootless", "-p:ContainerImageTag=1",
             $"-p:ContainerStorePath={store.Path}"],
            project.Directory, environment, TimeSpan.FromMinutes(5));
        build.EnsureSuccess("dotnet publish -t:BuildImage as an ordinary user");
        Assert.IsFalse(build.Output.Contains("CTZ7008", StringComparison.Ordinal), "a subordinate range, not the single-id fallback: " + build.Output);

        using var layout = new TempDirectory("ctz-rootless-layout");
        (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{registry}/samples/rootless:1", $"oci:{layout.Path}:1")).EnsureSuccess("skopeo copy");
        string bundle = layout.Combine("bundle");
        (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:1", bundle)).EnsureSuccess("umoci unpack");
        string rootfs = Path.Combine(bundle, "rootfs");
        Assert.AreEqual("0\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "built-as")), "the first step runs as the container's root");
        string note = Path.Combine(rootfs, "home", "app", "note.txt");
        Assert.AreEqual("made by app\n", await File.ReadAllTextAsync(note));
        Assert.AreEqual("1654 1654 600", (await ProcessRunner.RunAsync("stat", "-c", "%u %g %a", note)).EnsureSuccess("stat").StandardOutput.Trim(),
            "a file made by USER app is app's in the image, not the building user's or a subordinate id");
        Assert.IsTrue(File.Exists(Path.Combine(rootfs, "app", "RootlessApp.dll")));
    }
}
