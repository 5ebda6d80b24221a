using System.Globalization;

namespace Containerize.Engine.Tests.Execution;

/// <summary>A memory cgroup (v2 where its memory controller is there, else v1) with a limit and no swap, removed on dispose.</summary>
internal sealed class MemoryCgroup : IDisposable
{
    private readonly string _path;
    private readonly bool _v2;

    private MemoryCgroup(string path, bool v2)
    {
        _path = path;
        _v2 = v2;
    }

    public string Name => Path.GetFileName(_path);

    public static MemoryCgroup Create(long limitBytes)
    {
        string name = $"ctz-oom-{Guid.NewGuid():N}"[..20];
        bool v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("memory");
        string parent = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
        if (!Directory.Exists(parent)) Assert.Fail($"This machine has no memory cgroup ({parent}); the OOM test needs one (cgroup v2 with the memory controller, or v1's memory hierarchy).");
        string path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        var cgroup = new MemoryCgroup(path, v2);
        string limit = limitBytes.ToString(CultureInfo.InvariantCulture);
        if (v2)
        {
            cgroup.Write("memory.max", limit);
            if (File.Exists(Path.Combine(path, "memory.swap.max"))) cgroup.Write("memory.swap.max", "0");
        }
        else
        {
            cgroup.Write("memory.limit_in_bytes", limit);
            if (File.Exists(Path.Combine(path, "memory.memsw.limit_in_bytes"))) cgroup.Write("memory.memsw.limit_in_bytes", limit);
        }
        return cgroup;
    }

    public void Add(int pid) => Write("cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>How many processes the kernel's OOM killer killed in this cgroup.</summary>
    public int OomKills()
    {
        string file = Path.Combine(_path, _v2 ? "memory.events" : "memory.oom_control");
        string? line = File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line["oom_kill ".Length..], CultureInfo.InvariantCulture);
    }

    private void Write(string file, string value) => File.WriteAllText(Path.Combine(_path, file), value);

    public void Dispose()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try { Directory.Delete(_path); return; } // rmdir: a cgroup's files cannot be deleted, only the empty group
            catch (IOException) { Thread.Sleep(100); }
        }
    }
}
