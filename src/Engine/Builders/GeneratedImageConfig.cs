using System.Globalization;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;

namespace Containerize.Engine.Builders;

/// <summary>
/// The configuration of a generated image: the base image's, with the request's settings
/// applied the way the .NET SDK's container properties apply them.
/// </summary>
internal static class GeneratedImageConfig
{
    public static ImageConfig Create(GeneratedImageRequest request, BaseImage baseImage, DateTimeOffset created)
    {
        var baseConfig = baseImage.Config;
        var runtime = baseConfig?.Config ?? new ContainerConfig();
        var platform = baseConfig?.Platform ?? request.Platform;

        bool entrypointChanges = request.Entrypoint is not null;
        var updated = runtime with
        {
            Env = MergeEnvironment(runtime.Env, request.EnvironmentVariables),
            Labels = MergeLabels(runtime.Labels, request.Labels),
            ExposedPorts = MergePorts(runtime.ExposedPorts, request.Ports),
            WorkingDir = request.WorkingDirectory,
            User = request.User ?? runtime.User,
            Entrypoint = request.Entrypoint ?? runtime.Entrypoint,
            Cmd = request.Cmd ?? (entrypointChanges ? null : runtime.Cmd),
        };

        return new ImageConfig
        {
            Created = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Architecture = platform.Architecture,
            Os = platform.Os,
            OsVersion = platform.OsVersion,
            Variant = platform.Variant,
            Config = updated,
            RootFs = new RootFs { DiffIds = [] },
            Author = baseConfig?.Author,
            Extra = baseConfig?.Extra,
        };
    }

    private static List<string> MergeEnvironment(IReadOnlyList<string>? existing, IReadOnlyList<KeyValuePair<string, string>> added)
    {
        var result = new List<string>(existing ?? []);
        foreach (var (name, value) in added)
        {
            if (name.Length == 0 || name.Contains('='))
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty,
                    $"ContainerEnvironmentVariable '{name}' is not a valid variable name: it must be non-empty and must not contain '='.");
            }
            EnvironmentEntries.Set(result, name, value);
        }
        return result;
    }

    private static SortedDictionary<string, string>? MergeLabels(SortedDictionary<string, string>? existing, IReadOnlyList<KeyValuePair<string, string>> added)
    {
        if (existing is null && added.Count == 0) return null;
        var result = new SortedDictionary<string, string>(existing ?? new(), StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            if (key.Length == 0)
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty, "A ContainerLabel item has an empty name; give every label a key.");
            }
            result[key] = value;
        }
        return result;
    }

    private static SortedDictionary<string, EmptyObject>? MergePorts(SortedDictionary<string, EmptyObject>? existing, IReadOnlyList<string> ports)
    {
        if (existing is null && ports.Count == 0) return null;
        var result = new SortedDictionary<string, EmptyObject>(existing ?? new(), StringComparer.Ordinal);
        foreach (string port in ports) result[NormalizePort(port)] = new EmptyObject();
        return result;
    }

    /// <summary>One port (ranges are a Dockerfile feature, not a ContainerPort one).</summary>
    internal static string NormalizePort(string port)
    {
        if (!PortSpec.TryParse(port, out var ports) || ports.Count != 1)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"ContainerPort '{port}' is not valid: use a number from 1 to 65535 with Type tcp or udp (e.g. <ContainerPort Include=\"8080\" Type=\"tcp\" />).");
        }
        return ports[0];
    }
}
