using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>The planner's base image lookups, which may be started ahead of need; the resolver keeps each image for the whole build.</summary>
internal sealed class BaseImageConfigs(IBaseImageResolver resolver, CancellationToken ct)
{
    public Task<ImageConfig?> GetAsync(ImageReference reference, Platform platform) => resolver.GetConfigAsync(reference.ToString(), platform, ct);

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
