using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>
/// Temp folders on a real file system, a blob store, overlay mounts done by util-linux
/// <c>unshare --mount</c> in a child process, and GNU tar to judge the layers.
/// </summary>
internal sealed class RootfsFixture : IDisposable
{
    private readonly TempDirectory _temp = new("ctz-rootfs");

    public RootfsFixture() => Store = new BlobStore(_temp.Combine("store"));

    public BlobStore Store { get; }

    public string Root => _temp.Path;

    /// <summary>A new empty directory under the fixture.</summary>
    public string Directory(string name) => System.IO.Directory.CreateDirectory(_temp.Combine(name)).FullName;

    public static string Write(string directory, string relative, string content = "content")
    {
        string path = Path.Combine(directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>An overlay whiteout, as the kernel leaves it in an upper directory: a 0/0 character device.</summary>
    public static void Whiteout(string directory, string relative)
    {
        string path = Path.Combine(directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        LibC.Mknod(path, UnixFileKind.CharacterDevice, 0, 0, 0);
    }

    public static void SetXattr(string path, string name, string value) =>
        Assert.IsTrue(LibC.TrySetXattr(path, name, Encoding.UTF8.GetBytes(value)), $"setxattr {name} on {path}");

    public static string? Xattr(string path, string name) =>
        LibC.ReadXattrs(path).TryGetValue(name, out byte[]? value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Runs a shell script, failing the test on a non-zero exit; returns standard output.</summary>
    public static string Shell(string script) => ExternalTool.RunChecked("sh", "-c", script);

    /// <summary>
    /// Mounts an overlay in a child process's own mount namespace, runs <paramref name="commands"/>
    /// inside the merged directory, copies the merged view to <paramref name="snapshot"/> (cp -a:
    /// owners, modes, xattrs, hard links) and lets the mount vanish with the namespace.
    /// <paramref name="lowersBottomFirst"/> are the image's first layer first; without an upper the overlay is read-only.
    /// </summary>
    public void Overlay(IReadOnlyList<string> lowersBottomFirst, string? upper, string commands, string snapshot, string options = "")
    {
        string merged = Directory("merged-" + Guid.NewGuid().ToString("N")[..8]);
        string mountOptions = "lowerdir=" + string.Join(':', lowersBottomFirst.Reverse()); // overlay lists the topmost first
        if (upper is not null) mountOptions += $",upperdir={upper},workdir={Directory("work-" + Guid.NewGuid().ToString("N")[..8])}";
        if (options.Length > 0) mountOptions += "," + options;
        System.IO.Directory.CreateDirectory(snapshot);
        string script = $"set -e; mount -t overlay overlay -o '{mountOptions}' '{merged}'; cd '{merged}'; {commands}; cd /; cp -a '{merged}/.' '{snapshot}/'";
        ExternalTool.Run("unshare", "--mount", "--propagation", "private", "sh", "-c", script).EnsureSuccess("overlay: " + script);
    }

    public UpperDiff Diff(string upper, UpperDiffOptions? options = null) =>
        UpperDirectoryDiff.WriteLayerAsync(upper, options ?? new UpperDiffOptions(), Store, CancellationToken.None).GetAwaiter().GetResult();

    public Layer BuildLayer(string source) =>
        LayerBuilder.FromDirectoryAsync(source, new LayerOptions { Uid = null, Gid = null, TimestampMode = TimestampMode.Clamp, Timestamp = DateTimeOffset.MaxValue }, Store, CancellationToken.None)
            .GetAwaiter().GetResult();

    /// <summary>Applies layers bottom first onto <paramref name="target"/> as a container runtime does (whiteouts applied, owners kept).</summary>
    public void Apply(string target, params Layer[] layers)
    {
        foreach (var layer in layers)
        {
            using var blob = Store.OpenRead(layer.Descriptor.Digest);
            LayerExtractor.ExtractAsync(blob, target, new ExtractOptions { PreserveOwnership = true }, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>GNU tar's verbose listing of a layer blob, in archive order.</summary>
    public List<TarListing> List(Layer layer) =>
        [.. ExternalTool.RunChecked("tar", "--numeric-owner", "--full-time", "-tvzf", Store.PathFor(layer.Descriptor.Digest))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TarListing.Parse)];

    public Dictionary<string, TarListing> Entries(Layer layer) => List(layer).ToDictionary(e => e.Name);

    /// <summary>The layer's entries as the project's reader sees them (xattrs included), in archive order.</summary>
    public List<TarEntry> ReadEntries(Layer layer)
    {
        using var blob = Store.OpenRead(layer.Descriptor.Digest);
        using var tar = LayerCompression.OpenTar(blob);
        var reader = new LayerTarReader(tar);
        var entries = new List<TarEntry>();
        while (reader.ReadNext() is { } entry) entries.Add(entry);
        return entries;
    }

    /// <summary>
    /// Every entry below <paramref name="root"/> described by what an image cares about (kind,
    /// mode, owner, content hash, link target, device numbers, xattrs other than overlay's),
    /// without times: two trees with the same description are the same file system.
    /// </summary>
    public static SortedDictionary<string, string> Describe(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<ulong, List<string>>();
        foreach (string path in System.IO.Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var m = LibC.Statx(path);
            string relative = Path.GetRelativePath(root, path);
            string what = m.Kind switch
            {
                UnixFileKind.RegularFile => "file " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16],
                UnixFileKind.SymbolicLink => "symlink " + new FileInfo(path).LinkTarget,
                UnixFileKind.CharacterDevice or UnixFileKind.BlockDevice => $"{m.Kind} {m.RdevMajor},{m.RdevMinor}",
                _ => m.Kind.ToString(),
            };
            if (m.Kind == UnixFileKind.RegularFile && m.LinkCount > 1)
            {
                if (!names.TryGetValue(m.Inode, out var list)) names[m.Inode] = list = [];
                list.Add(relative);
                what += " inode:" + m.Inode;
            }
            var xattrs = LibC.ReadXattrs(path).Where(x => !x.Key.Contains(".overlay.", StringComparison.Ordinal) && x.Key != "security.selinux")
                .Select(x => $"{x.Key}={Convert.ToHexString(x.Value)}");
            string mode = m.Kind == UnixFileKind.SymbolicLink ? "" : Convert.ToString(m.Permissions, 8);
            result[relative] = $"{what} {mode} {m.Uid}:{m.Gid} [{string.Join(' ', xattrs)}]";
        }
        // Inode numbers differ between trees; the names sharing one do not.
        foreach (var group in names.Values)
        {
            string together = "linked(" + string.Join(',', group.Order(StringComparer.Ordinal)) + ")";
            foreach (string name in group) result[name] = System.Text.RegularExpressions.Regex.Replace(result[name], @"inode:\d+", together);
        }
        return result;
    }

    public static void AssertSameTree(string expectedRoot, string actualRoot)
    {
        var expected = Describe(expectedRoot);
        var actual = Describe(actualRoot);
        var differences = expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(k => !expected.TryGetValue(k, out string? e) || !actual.TryGetValue(k, out string? a) || e != a)
            .Select(k => $"{k}: expected {(expected.TryGetValue(k, out string? e) ? e : "(absent)")}, got {(actual.TryGetValue(k, out string? a) ? a : "(absent)")}")
            .ToList();
        Assert.IsEmpty(differences, string.Join('\n', differences));
    }

    public void Dispose()
    {
        // Unpacked layers hold read-only directories and root-owned files; the engine's own cleanup copes with both.
        Engine.IO.ScratchDirectory.DeleteTree(_temp.Path);
        _temp.Dispose();
    }
}
