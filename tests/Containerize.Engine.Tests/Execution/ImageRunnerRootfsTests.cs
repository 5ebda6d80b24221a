using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Builders;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// <c>containerize run</c> (ImageRunner) on overlay and on the copy fallback, with a busybox image
/// from a real registry, in real namespaces: the container's root is an overlay, or a plain copy
/// that the command may change without touching the image's unpacked layers.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class ImageRunnerRootfsTests
{
    private static RegistryServer s_registry = null!;
    private static string s_busybox = null!;

    [ClassInitialize]
    public static void StartRegistry(TestContext _)
    {
        s_registry = RegistryServer.StartAnonymous();
        s_busybox = $"{s_registry.Host}/base/busybox";
        using var store = new TempDirectory("ctz-busybox-store");
        BaseImages.PushBusyboxAsync(s_busybox, store.Path).GetAwaiter().GetResult();
    }

    [ClassCleanup]
    public static void StopRegistry() => s_registry.Dispose();

    private static async Task<(int ExitCode, string Output, TextLog Log)> RunAsync(string store, RootfsMode mode, string script)
    {
        var log = new TextLog();
        var output = new List<string>();
        int exit = await ImageRunner.RunAsync(
            new RunImageRequest { Image = ImageReference.Parse(s_busybox), Command = ["/bin/sh", "-c", script] },
            new BuildSettings { Store = new BlobStore(store), Rootfs = mode, Log = log }, output.Add, CancellationToken.None);
        return (exit, string.Join('\n', output), log);
    }

    [TestMethod]
    [DataRow(RootfsMode.Overlay, DisplayName = "overlay")]
    [DataRow(RootfsMode.Copy, DisplayName = "copy fallback")]
    [DoNotParallelize] // the inherited descriptor is open in the whole test process while it runs
    public async Task AHostileImageReachesNoHostDescriptorDeviceKernelSettingOrLoopbackService(RootfsMode mode)
    {
        using var store = new TempDirectory("ctz-run-image-store");
        using var attack = SandboxAttack.Create();
        using var network = new StepNetwork();
        var (exit, output, _) = await RunAsync(store.Path, mode, attack.Script() + "; " + network.Script());
        Assert.AreEqual(0, exit, output);
        attack.AssertContained(output[..(output.IndexOf("\ndone\n", StringComparison.Ordinal) + 6)], $"containerize run, {mode}");
        StringAssert.EndsWith(output, "done\n127.0.0.1=unreachable\n10.0.2.2=unreachable\noutside-service", "its own network, as docker run's default");
    }

    [TestMethod]
    public async Task TheCopyFallbackRunsTheImageOnAThrowAwayCopy()
    {
        using var store = new TempDirectory("ctz-run-image-store");
        const string RootType = "awk '$2 == \"/\" { print \"root=\" $3 }' /proc/mounts";

        var copy = await RunAsync(store.Path, RootfsMode.Copy, $"echo hello from the copy; {RootType}; rm /bin/ls && echo removed; exit 4");
        Assert.AreEqual(4, copy.ExitCode, copy.Output);
        StringAssert.StartsWith(copy.Output, "hello from the copy\nroot=");
        Assert.IsFalse(copy.Output.Contains("root=overlay", StringComparison.Ordinal), copy.Output);
        StringAssert.EndsWith(copy.Output, "\nremoved");
        StringAssert.Contains(copy.Log.Text, "The container uses a copy of the image's layers instead of overlay (the build settings).");

        var overlay = await RunAsync(store.Path, RootfsMode.Overlay, $"{RootType}; test -e /bin/ls && echo the image is intact");
        Assert.AreEqual(0, overlay.ExitCode, overlay.Output);
        Assert.AreEqual("root=overlay\nthe image is intact", overlay.Output);
        Assert.IsFalse(overlay.Log.Text.Contains("a copy of the image's layers", StringComparison.Ordinal), overlay.Log.Text);
    }
}
