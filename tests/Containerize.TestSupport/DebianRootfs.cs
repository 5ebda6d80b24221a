namespace Containerize.TestSupport;

/// <summary>A Debian bookworm root filesystem from Debian's archive, made by <c>debootstrap --variant=minbase</c> (about a minute).</summary>
public static class DebianRootfs
{
    /// <summary>Where the tests and samples/run-sample.sh keep the bootstrapped system: the repository's .work/rootfs/debian.</summary>
    public static string CachedDirectory => Path.Combine(ConformanceData.RepositoryRoot, ".work", "rootfs", "debian");

    /// <summary>
    /// Bootstraps into <paramref name="directory"/> unless it already holds a bootstrapped system.
    /// Test assemblies run side by side, so a lock file beside the directory lets one bootstrap while the others wait.
    /// </summary>
    public static async Task EnsureAsync(string directory)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(directory))!);
        using var bootstrapLock = await LockAsync(directory + ".lock");
        if (File.Exists(Path.Combine(directory, "bin", "bash")) && File.Exists(Path.Combine(directory, "usr", "bin", "apt-get"))) return;
        if (!File.Exists("/usr/sbin/debootstrap"))
        {
            Assert.Fail("debootstrap is missing: install the Debian package debootstrap (.ci/run does).");
        }
        string partial = directory + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        (await ProcessRunner.RunAsync("/usr/sbin/debootstrap", ["--variant=minbase", "bookworm", partial, Mirror()], timeout: TimeSpan.FromMinutes(10)))
            .EnsureSuccess("debootstrap --variant=minbase bookworm");
        foreach (string cached in Directory.EnumerateFiles(Path.Combine(partial, "var", "cache", "apt", "archives"), "*.deb")) File.Delete(cached);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(partial, directory);
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive lock that other processes see (flock on Linux).
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The mirror apt uses on this machine (deb822 sources first), else Debian's.</summary>
    private static string Mirror()
    {
        const string sources = "/etc/apt/sources.list.d/debian.sources";
        if (File.Exists(sources))
        {
            string? uris = File.ReadLines(sources).FirstOrDefault(l => l.StartsWith("URIs:", StringComparison.Ordinal));
            if (uris is not null) return uris["URIs:".Length..].Trim().Split(' ')[0];
        }
        return "http://deb.debian.org/debian";
    }
}
