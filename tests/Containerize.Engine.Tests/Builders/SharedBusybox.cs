using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// One registry holding a busybox base image (built by the project) for every Dockerfile build
/// test of the run: started on first use, stopped when the test assembly ends.
/// </summary>
[TestClass]
public static class SharedBusybox
{
    private static readonly Lazy<(RegistryServer Registry, string Image)> s_started = new(Start);

    /// <summary>The busybox base's reference, without a tag (<c>latest</c>).</summary>
    public static string Image => s_started.Value.Image;

    [AssemblyCleanup]
    public static void Stop()
    {
        if (s_started.IsValueCreated) s_started.Value.Registry.Dispose();
    }

    private static (RegistryServer, string) Start()
    {
        var registry = RegistryServer.StartAnonymous();
        string image = $"{registry.Host}/base/busybox";
        using var store = new TempDirectory("ctz-busybox-store");
        BaseImages.PushBusyboxAsync(image, store.Path).GetAwaiter().GetResult();
        return (registry, image);
    }
}
