using System.Net;

namespace Containerize.Engine.Registry;

/// <summary>Facts about a registry's <c>host[:port]</c> name.</summary>
internal static class RegistryHost
{
    public const string DockerHubCredentialKey = "https://index.docker.io/v1/";

    public static string HostWithoutPort(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            int close = hostAndPort.IndexOf(']');
            return close > 0 ? hostAndPort[1..close] : hostAndPort;
        }
        int colon = hostAndPort.LastIndexOf(':');
        return colon > 0 && hostAndPort.IndexOf(':') == colon ? hostAndPort[..colon] : hostAndPort;
    }

    public static bool IsLoopback(string hostAndPort)
    {
        string host = HostWithoutPort(hostAndPort);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// The registry a credential-file key names: <c>https://index.docker.io/v1/</c> is
    /// <c>docker.io</c>; schemes and paths are dropped, so a podman key scoped to a namespace
    /// applies to its whole registry.
    /// </summary>
    public static string NormalizeCredentialKey(string key)
    {
        string k = key.Trim();
        int scheme = k.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) k = k[(scheme + 3)..];
        int slash = k.IndexOf('/');
        if (slash >= 0) k = k[..slash];
        k = k.ToLowerInvariant();
        return k is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? "docker.io" : k;
    }

    /// <summary>What a credential helper is asked for: Docker Hub keeps its historical URL.</summary>
    public static string CredentialHelperServerUrl(string registry) =>
        registry == Oci.ImageReference.DockerHub ? DockerHubCredentialKey : registry;
}
