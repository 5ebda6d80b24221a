using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.EndToEnd.Tests;

/// <summary>One registry and one busybox base image for the whole run, started before the first test.</summary>
[TestClass]
public static class EndToEndEnvironment
{
    private static TempDirectory? _store;
    private static readonly Lazy<Task<string>> Debian = new(PushDebianAsync);

    public static RegistryServer Registry { get; private set; } = null!;

    public static string BusyboxImage => $"{Registry.Host}/base/busybox:latest";

    /// <summary>Debian bookworm (debootstrap, cached in the repository's .work/rootfs/debian), pushed on first use.</summary>
    public static Task<string> DebianImageAsync() => Debian.Value;

    private static async Task<string> PushDebianAsync()
    {
        await BaseImages.PushDebianAsync($"{Registry.Host}/base/debian", _store!.Path);
        return $"{Registry.Host}/base/debian:bookworm";
    }

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        Registry = RegistryServer.StartAnonymous();
        _store = new TempDirectory("ctz-e2e-store");
        await BaseImages.PushBusyboxAsync($"{Registry.Host}/base/busybox", _store.Path);
        await PackageFeed.GetAsync();
    }

    [AssemblyCleanup]
    public static void Stop()
    {
        Registry?.Dispose();
        _store?.Dispose();
    }
}
