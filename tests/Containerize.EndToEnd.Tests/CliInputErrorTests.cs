using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>Bad values on the <c>containerize</c> command line: each a CTZ error with exit code 1 before any work, never a stack trace.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class CliInputErrorTests
{
    [TestMethod]
    public async Task EveryBadValueIsAnErrorWithItsCodeAndNoStackTrace()
    {
        using var work = new TempDirectory("ctz-cli-input");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\n");
        string[] build = ["build", "--store", work.Combine("store"), "--archive", work.Combine("image.tar")];

        await ContainerizeCli.AssertFailsWithAsync("error CTZ4000: --format 'v2s2' is not known: use OCI or Docker.", [.. build, "--format", "v2s2", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4000: --platform 'bogus' is not a valid platform", [.. build, "--platform", "bogus", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4010: --cache-max-size '1XB' is not a size", [.. build, "--cache-max-size", "1XB", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4020: --parallelism '-1' is not a number of stages", [.. build, "--parallelism", "-1", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ1000: --push 'Bad Ref' is not a valid image reference", ["build", "--store", work.Combine("store"), "--push", "Bad Ref", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ1000: --tag '-bad' is not a valid tag", [.. build, "--tag", "-bad", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4030: --network 'bridge' is not a network", [.. build, "--network", "bridge", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4031: --allow 'bogus' is not a known entitlement", [.. build, "--allow", "bogus", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4000: --network-idle-timeout 'abc' is not a valid idle timeout", [.. build, "--network-idle-timeout", "abc", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4000: --build-arg '' has no name", [.. build, "--build-arg", "=x", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ5219: --build-context 'assets' has no value", [.. build, "--build-context", "assets=", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ5219: --build-context name 'my assets' is not valid", [.. build, "--build-context", "my assets=dir", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ5223: --secret 'a' has both a file and an environment variable", [.. build, "--secret", "id=a,src=f,env=V", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ5225: --ssh 'deploy' has no socket and SSH_AUTH_SOCK is not set",
            new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = null }, [.. build, "--ssh", "deploy", context]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4000: --format 'v2s2' is not known", ["image", "--store", work.Combine("store"), "--base", "scratch", "--content", context, "--format", "v2s2", "--archive", work.Combine("content.tar")]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4000: --platform 'linux' is not a valid platform", ["image", "--store", work.Combine("store"), "--base", "scratch", "--content", context, "--platform", "linux", "--archive", work.Combine("content.tar")]);
        await ContainerizeCli.AssertFailsWithAsync("error CTZ4010: --max-size 'abc' is not a size", ["prune", "--store", work.Combine("store"), "--max-size", "abc"]);
        Assert.IsFalse(File.Exists(work.Combine("image.tar")) || File.Exists(work.Combine("content.tar")), "nothing written");
    }
}
