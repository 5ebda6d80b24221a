using System.Diagnostics;
using System.Text.Json;

namespace Containerize.Engine.Tests.Registry;

/// <summary>The independent judge: skopeo, run against the test registry.</summary>
internal static class Skopeo
{
    public static JsonDocument Inspect(string reference, string? credentials = null, bool raw = false)
    {
        var args = new List<string> { "inspect", "--tls-verify=false" };
        if (raw) args.Add("--raw");
        if (credentials is not null) args.AddRange(["--creds", credentials]);
        args.Add("docker://" + reference);
        return JsonDocument.Parse(Run(args));
    }

    public static string Run(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("skopeo", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = Path.GetTempPath(); // keep the user's own registries.conf and auth out of it
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"skopeo {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }
}
