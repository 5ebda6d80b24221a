using Containerize.Engine.IO.Native;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Store;

/// <summary>An ordinary local user (made here with useradd) to check what another user of the machine can reach.</summary>
internal static class OtherUser
{
    public const string Name = "ctz-store-peer";

    /// <summary>The user's uid, creating the user first when needed.</summary>
    public static async Task<uint> EnsureAsync()
    {
        if (!LibC.IsRoot) Assert.Fail("creating the test user needs root: run the tests as root, as .ci/run does");
        if ((await ProcessRunner.RunAsync("id", "-u", Name)).ExitCode != 0)
        {
            var made = await ProcessRunner.RunAsync("useradd", Name);
            // Another test class may have made it at the same moment.
            if (made.ExitCode != 0 && (await ProcessRunner.RunAsync("id", "-u", Name)).ExitCode != 0) made.EnsureSuccess("useradd");
        }
        return uint.Parse((await ProcessRunner.RunAsync("id", "-u", Name)).EnsureSuccess("id").StandardOutput.Trim());
    }

    /// <summary>stat(1) of <paramref name="path"/> as the user: its exit code and what it printed.</summary>
    public static Task<ProcessResult> StatAsync(string path) => ProcessRunner.RunAsync("runuser", "-u", Name, "--", "stat", "-c", "%a %U", path);
}
