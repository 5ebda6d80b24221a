using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>skopeo, an independent judge of what we push and write.</summary>
internal static class Skopeo
{
    public static async Task<JsonElement> InspectAsync(string transportReference, bool config = false)
    {
        string[] args = ["inspect", "--tls-verify=false", .. config ? new[] { "--config" } : [], transportReference];
        var result = (await ProcessRunner.RunAsync("skopeo", args)).EnsureSuccess($"skopeo inspect {transportReference}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    public static async Task<string> RawManifestAsync(string transportReference)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", "inspect", "--tls-verify=false", "--raw", transportReference))
            .EnsureSuccess($"skopeo inspect --raw {transportReference}");
        return result.StandardOutput;
    }

    /// <summary>Copies an image into a <c>dir:</c> layout (one file per blob, named by hex digest).</summary>
    public static async Task CopyToDirectoryAsync(string transportReference, string directory)
    {
        (await ProcessRunner.RunAsync("skopeo", "copy", "--src-tls-verify=false", transportReference, "dir:" + directory))
            .EnsureSuccess($"skopeo copy {transportReference}");
    }
}
