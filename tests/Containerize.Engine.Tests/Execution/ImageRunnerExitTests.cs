using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Builders;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary><c>containerize run</c>: how the image's process ended, with the shared busybox image from a real registry.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class ImageRunnerExitTests
{
    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AProcessKilledBySigkillExits137AndSaysWhy()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        using var store = new TempDirectory("ctz-run-image-store");
        string marker = StepProcessKiller.NewMarker();
        var killing = StepProcessKiller.KillAsync(marker, 9, timeout.Token);
        var log = new TextLog();
        var output = new List<string>();
        int exit = await ImageRunner.RunAsync(
            new RunImageRequest { Image = ImageReference.Parse(SharedBusybox.Image), Command = ["/bin/sh", "-c", "echo started; exec sleep 1000"], Environment = [marker] },
            new BuildSettings { Store = new BlobStore(store.Path), Log = log }, output.Add, timeout.Token);
        await killing;

        Assert.AreEqual(137, exit, string.Join('\n', output));
        CollectionAssert.AreEqual(new[] { "started" }, output);
        StringAssert.Contains(log.Text, ErrorCodes.ImageProcessKilled);
        StringAssert.Contains(log.Text, "killed by SIGKILL (exit code 137): out of memory, or killed from outside?");
    }
}
