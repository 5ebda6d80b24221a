using System.Text.RegularExpressions;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.HelperProtocol;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The helper's failures read as sentences: what failed, on which path, the system's reason and a
/// CTZ code; never a .NET resource key (the native helper has none: UseSystemResourceKeys) or a stack trace.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public partial class HelperMessageTests
{
    [GeneratedRegex(@"\b[A-Z][A-Za-z]+_[A-Z][A-Za-z]+")]
    private static partial Regex ResourceKey();

    private static void AssertReadable(string text, string what)
    {
        Assert.IsFalse(ResourceKey().IsMatch(text), $"{what}: a resource key reached the user:\n{text}");
        Assert.IsFalse(text.Contains("   at ", StringComparison.Ordinal), $"{what}: a stack trace reached the user:\n{text}");
        Assert.IsFalse(text.Contains("Exception", StringComparison.Ordinal), $"{what}: an exception's name reached the user:\n{text}");
    }

    private static Task<ProcessResult> HelperAsync(bool managed, params string[] arguments)
    {
        var command = (managed ? HelperLocation.FindManaged() : HelperLocation.Find()).Command;
        return ProcessRunner.RunAsync(command[0], [.. command.Skip(1), .. arguments]);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "native helper")]
    [DataRow(true, DisplayName = "managed helper")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task HelperCommandsOnMissingFilesSayWhatAndWhere(bool managed)
    {
        using var dir = new TempDirectory("ctz-helper-msg");
        string missing = dir.Combine("no-such-records");

        var chown = await HelperAsync(managed, "chown", dir.Path, missing);
        Assert.AreEqual(HelperFailureCodes.SetupFailedExitCode, chown.ExitCode, chown.Output);
        Assert.AreEqual($"containerize-helper: error CTZ7007: read the owner records {missing}: No such file or directory", chown.StandardError.Trim());

        var chownMissingTree = await HelperAsync(managed, "chown", dir.Combine("gone"), missing);
        StringAssert.StartsWith(chownMissingTree.StandardError, $"containerize-helper: error CTZ7007: open {dir.Combine("gone")}: No such file or directory");
        AssertReadable(chownMissingTree.StandardError, "chown of a missing tree");

        var own = await HelperAsync(managed, "own", dir.Combine("gone"), missing);
        StringAssert.StartsWith(own.StandardError, "containerize-helper: error CTZ7007: ");
        AssertReadable(own.StandardError, "own of a missing tree");

        var run = await HelperAsync(managed, "run", dir.Path);
        Assert.AreEqual(HelperFailureCodes.SetupFailedExitCode, run.ExitCode, run.Output);
        Assert.AreEqual($"containerize-helper: error CTZ7000: read the step's spec {dir.Combine("spec")}: No such file or directory", run.StandardError.Trim());
        Assert.AreEqual($"CTZ7000\0read the step's spec {dir.Combine("spec")}: No such file or directory", File.ReadAllText(dir.Combine("error")));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ADebugVariableAsksForTheStackTrace()
    {
        using var dir = new TempDirectory("ctz-helper-msg");
        var command = HelperLocation.Find().Command;
        var result = await ProcessRunner.RunAsync(command[0], ["chown", dir.Path, dir.Combine("missing")], environment: new Dictionary<string, string?> { ["CONTAINERIZE_HELPER_DEBUG"] = "1" });
        StringAssert.Contains(result.StandardError, "   at ");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "native helper")]
    [DataRow(true, DisplayName = "managed helper")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ContainerFailuresAreCtzErrorsNamingWhatFailed(bool managed)
    {
        using var f = await ContainerFixture.CreateAsync();
        var runner = new ContainerRunner(helper: managed ? HelperLocation.FindManaged() : HelperLocation.Find());
        string vanished = Path.Combine(f.BindSource(), "vanished");

        var bind = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            runner.RunAsync(f.Spec("true") with { Mounts = [ContainerMount.Bind(vanished, "/mnt/in")] }, _ => { }, CancellationToken.None));
        StringAssert.StartsWith(bind.Code, "CTZ70");
        StringAssert.Contains(bind.Message, vanished);
        AssertReadable(bind.Message, "a vanished bind source");

        var missing = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => runner.RunAsync(f.Spec("no-such-program"), _ => { }, CancellationToken.None));
        Assert.AreEqual(ErrorCodes.ContainerCommandNotFound, missing.Code);
        StringAssert.Contains(missing.Message, "no-such-program");
        AssertReadable(missing.Message, "a missing command");

        f.AddLayer(d => Directory.CreateDirectory(Path.Combine(d, "etc", "passwd")));
        var passwd = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => runner.RunAsync(f.Spec("true") with { User = "app" }, _ => { }, CancellationToken.None));
        Assert.AreEqual(ErrorCodes.ContainerSetupFailed, passwd.Code, passwd.Message);
        StringAssert.Contains(passwd.Message, "the image's /etc/passwd is not a regular file");
        AssertReadable(passwd.Message, "/etc/passwd a directory");
    }
}
