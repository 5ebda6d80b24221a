using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>Asks the resolver once per image and platform within one plan.</summary>
internal sealed class BaseImageConfigs(IBaseImageResolver resolver, CancellationToken ct)
{
    private readonly Dictionary<(string Reference, string Platform), ImageConfig?> _configs = [];

    public async Task<ImageConfig?> GetAsync(ImageReference reference, Platform platform)
    {
        var key = (reference.ToString(), platform.ToString());
        if (_configs.TryGetValue(key, out var known)) return known;
        var config = await resolver.GetConfigAsync(key.Item1, platform, ct).ConfigureAwait(false);
        _configs[key] = config;
        return config;
    }
}
