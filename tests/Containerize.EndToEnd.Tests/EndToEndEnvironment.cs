using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.EndToEnd.Tests;

/// <summary>One registry and one busybox base image for the whole run, started before the first test.</summary>
[TestClass]
public static class EndToEndEnvironment
{
    private static TempDirectory? _store;

    public static RegistryServer Registry { get; private set; } = null!;

    public static string BusyboxImage => $"{Registry.Host}/base/busybox:latest";

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
