using Containerize.Engine.IO.Native;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>The ordinary user the rootless launcher tests run as: made here with useradd, which gives it a /etc/subuid range.</summary>
internal static class RootlessUser
{
    public const string Name = "ctz-rootless";

    public static async Task<(string Name, uint Uid, uint Gid)> EnsureAsync()
    {
        if (!LibC.IsRoot) Assert.Fail("creating the test user needs root: run the tests as root, as .ci/run does");
        if ((await ProcessRunner.RunAsync("id", "-u", Name)).ExitCode != 0) (await ProcessRunner.RunAsync("useradd", "--create-home", Name)).EnsureSuccess("useradd");
        uint uid = uint.Parse((await ProcessRunner.RunAsync("id", "-u", Name)).EnsureSuccess("id").StandardOutput.Trim());
        uint gid = uint.Parse((await ProcessRunner.RunAsync("id", "-g", Name)).EnsureSuccess("id").StandardOutput.Trim());
        return (Name, uid, gid);
    }
}
