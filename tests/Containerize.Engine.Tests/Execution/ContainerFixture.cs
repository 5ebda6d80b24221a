using Containerize.Engine.Execution;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>A busybox base layer (built once per process) plus a fresh upper and work directory per test.</summary>
internal sealed class ContainerFixture : IDisposable
{
    private static readonly SemaphoreSlim BaseLock = new(1, 1);
    private static string? _baseLayer;

    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly TempDirectory _dir = new("ctz-exec");

    private ContainerFixture() { }

    public string Upper => _dir.Combine("upper");
    public string Work => _dir.Combine("work");
    public string BaseLayer => _baseLayer!;
    public List<string> Lowers { get; } = new();

    public static async Task<ContainerFixture> CreateAsync()
    {
        await BaseLock.WaitAsync();
        try
        {
            if (_baseLayer is null)
            {
                string dir = Path.Combine(Path.GetTempPath(), $"ctz-busybox-{Guid.NewGuid():N}"[..28]);
                Directory.CreateDirectory(dir);
                await BusyboxRootfs.CreateAsync(dir);
                _baseLayer = dir;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
            }
        }
        finally { BaseLock.Release(); }
        var f = new ContainerFixture();
        Directory.CreateDirectory(f.Upper);
        Directory.CreateDirectory(f.Work);
        f.Lowers.Add(_baseLayer);
        return f;
    }

    /// <summary>A further lower layer (above the ones added so far), filled by <paramref name="fill"/>.</summary>
    public string AddLayer(Action<string> fill)
    {
        string dir = _dir.Combine($"layer{Lowers.Count}");
        Directory.CreateDirectory(dir);
        fill(dir);
        Lowers.Add(dir);
        return dir;
    }

    public ContainerSpec Spec(params string[] command) => new()
    {
        LowerDirectoriesBottomFirst = Lowers.ToArray(),
        UpperDirectory = Upper,
        OverlayWorkDirectory = Work,
        Command = command,
        Environment = [DefaultPath],
    };

    /// <summary>The copy fallback's spec: a complete root directory (a copy of the layers) that the command changes in place.</summary>
    public ContainerSpec CopySpec(params string[] command)
    {
        string root = _dir.Combine("root");
        if (!Directory.Exists(root))
        {
            Directory.CreateDirectory(root);
            foreach (string lower in Lowers) ExternalTool.RunChecked("cp", "-a", lower + "/.", root);
        }
        return new ContainerSpec
        {
            RootDirectory = root,
            Command = command,
            Environment = [DefaultPath],
        };
    }

    /// <summary>A host folder for a bind mount.</summary>
    public string BindSource()
    {
        string dir = _dir.Combine("bind-source");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static ContainerSpec Shell(ContainerSpec spec, string script) => spec with { Command = ["/bin/sh", "-c", script] };

    public async Task<(int ExitCode, string Output)> RunAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var lines = new List<string>();
        int code = await new ContainerRunner().RunAsync(spec, l => { lock (lines) lines.Add(l); }, cancellationToken);
        lock (lines) return (code, string.Join('\n', lines));
    }

    public Task<(int ExitCode, string Output)> ShAsync(string script, Func<ContainerSpec, ContainerSpec>? change = null)
    {
        var spec = Shell(Spec(), script);
        return RunAsync(change is null ? spec : change(spec));
    }

    /// <summary>Every entry of the upper directory, relative, sorted.</summary>
    public string[] UpperEntries() => Directory.EnumerateFileSystemEntries(Upper, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(Upper, p)).Order(StringComparer.Ordinal).ToArray();

    public void Dispose() => _dir.Dispose();
}
