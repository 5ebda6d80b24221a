using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>Asks the resolver once per image and platform within one plan; lookups may be started ahead of need.</summary>
internal sealed class BaseImageConfigs(IBaseImageResolver resolver, CancellationToken ct)
{
    private readonly Dictionary<(string Reference, string Platform), Task<ImageConfig?>> _configs = [];

    public Task<ImageConfig?> GetAsync(ImageReference reference, Platform platform)
    {
        var key = (reference.ToString(), platform.ToString());
        if (!_configs.TryGetValue(key, out var lookup)) _configs[key] = lookup = resolver.GetConfigAsync(key.Item1, platform, ct);
        return lookup;
    }

    /// <summary>Starts the lookup now for a later <see cref="GetAsync"/>; a failure is reported there, if the image turns out to be needed.</summary>
    public void Start(ImageReference reference, Platform platform)
    {
        try
        {
            _ = GetAsync(reference, platform).ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A resolver that fails at once fails again when the planner asks.
        }
    }
}
