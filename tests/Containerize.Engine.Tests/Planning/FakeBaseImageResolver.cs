using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Base image configs from a dictionary keyed by normalized reference; like a build's resolver, it looks each image up once, and records those lookups.</summary>
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
        lock (Requests)
        {
            if (!Requests.Contains((reference, platform))) Requests.Add((reference, platform));
        }
        return Task.FromResult(_configs.GetValueOrDefault(reference));
    }
}
