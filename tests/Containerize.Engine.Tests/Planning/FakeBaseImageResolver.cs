using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Base image configs from a dictionary keyed by normalized reference; records every request.</summary>
internal sealed class FakeBaseImageResolver : IBaseImageResolver
{
    private readonly Dictionary<string, ImageConfig> _configs = new(StringComparer.Ordinal);

    public List<(string Reference, Platform Platform)> Requests { get; } = [];

    public FakeBaseImageResolver With(string reference, IReadOnlyList<string>? env = null, IReadOnlyList<string>? onBuild = null)
    {
        _configs[reference] = new ImageConfig
        {
            Architecture = "amd64",
            Os = "linux",
            RootFs = new RootFs { DiffIds = [] },
            Config = new ContainerConfig { Env = env, OnBuild = onBuild },
        };
        return this;
    }

    public Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct)
    {
        Requests.Add((reference, platform));
        return Task.FromResult(_configs.GetValueOrDefault(reference));
    }
}
