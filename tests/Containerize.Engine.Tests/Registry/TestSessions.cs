using Containerize.Engine.Registry;

namespace Containerize.Engine.Tests.Registry;

/// <summary>Options that read nothing from the real environment or home folder.</summary>
internal static class TestSessions
{
    public static RegistryOptions Options(IReadOnlyDictionary<string, string>? environment = null, string? home = null) => new()
    {
        GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var v) ? v : null,
        HomeDirectory = home ?? Path.Combine(Path.GetTempPath(), "ctz-no-home-" + Guid.NewGuid().ToString("N")),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    public static RegistrySession Create(IReadOnlyDictionary<string, string>? environment = null, string? home = null) =>
        new(Options(environment, home));
}
