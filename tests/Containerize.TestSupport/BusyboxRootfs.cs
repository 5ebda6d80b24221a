namespace Containerize.TestSupport;

/// <summary>
/// A minimal root filesystem made from Debian's busybox-static: <c>/bin/busybox</c>, one symlink
/// per applet, <c>/etc/passwd</c> and <c>/etc/group</c> with root and an app user, and <c>/tmp</c>.
/// </summary>
public static class BusyboxRootfs
{
    public const string BusyboxPath = "/bin/busybox";

    public static async Task CreateAsync(string directory)
    {
        if (!File.Exists(BusyboxPath))
        {
            Assert.Fail($"{BusyboxPath} is missing: install the Debian package busybox-static (.ci/run does).");
        }
        string bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(bin);
        File.Copy(BusyboxPath, Path.Combine(bin, "busybox"));
        File.SetUnixFileMode(Path.Combine(bin, "busybox"), (UnixFileMode)0b111_101_101);

        var list = (await ProcessRunner.RunAsync(BusyboxPath, "--list")).EnsureSuccess("busybox --list");
        foreach (string applet in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet == "busybox") continue;
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        }

        string etc = Path.Combine(directory, "etc");
        Directory.CreateDirectory(etc);
        await File.WriteAllTextAsync(Path.Combine(etc, "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654:app:/home/app:/bin/sh\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "group"), "root:x:0:\napp:x:1654:\n");
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        File.SetUnixFileMode(Path.Combine(directory, "tmp"), (UnixFileMode)0b1_111_111_111);
        Directory.CreateDirectory(Path.Combine(directory, "root"));
    }
}
