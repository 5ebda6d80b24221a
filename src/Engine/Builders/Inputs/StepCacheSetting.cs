using Containerize.Engine.Caching;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// How the step cache is used and kept: <c>ContainerNoCache</c>/<c>--no-cache</c>,
/// <c>ContainerNoCacheFilter</c>/<c>--no-cache-filter</c> (stages, separated by ',' or ';') and
/// <c>ContainerCacheMaxSize</c>/<c>--cache-max-size</c>.
/// </summary>
public static class StepCacheSetting
{
    public static StepCacheOptions Parse(bool noCache, IEnumerable<string> noCacheFilter) => new()
    {
        NoCache = noCache,
        NoCacheStages = noCacheFilter.SelectMany(v => v.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
    };

    /// <summary>The cache's size limit; empty for the default (<see cref="BuildSettings.DefaultCacheMaxSize"/>).</summary>
    /// <param name="setting">What the user wrote it in, for the message.</param>
    public static long MaxSize(string? text, string setting) =>
        string.IsNullOrWhiteSpace(text) ? BuildSettings.DefaultCacheMaxSize : ByteSize.Parse(text, setting);
}
