using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Context;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Copy;

/// <summary>
/// The checksum of what a COPY or ADD selects from a directory (context, named context): each
/// selected entry's path below its source, type, mode (after --chmod), symlink target, size,
/// extended attributes, hard-link grouping and content — never times or the owner on disk (COPY
/// gives files root or the --chown owner, which the cache key names). Selection follows the copy's
/// own rules (.dockerignore, wildcards, --exclude, --parents), through the same matcher and walker.
/// </summary>
public static class CopySourceChecksum
{
    /// <summary>The local sources of <paramref name="request"/>; remote ones (ADD URL, git) are only marked, their content is hashed once fetched.</summary>
    public static Digest Compute(CopyRequest request, ContentHasher hasher, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(hasher);
        var errors = new CopyErrors(request.Location);
        var root = new SourceRoot(request.SourceRoot, errors);
        using var sink = new ChecksumSink(hasher);
        var collector = new SourceTreeCollector(sink, request.SourceFilter, IgnorePatterns.Create(request.Excludes, "--exclude"),
            new EntryStamp(CopyOwner.Root, CopyMode.Parse(request.Chmod, errors), ClampSeconds: null));
        var matcher = new SourceMatcher(root, request.SourceFilter ?? IgnorePatterns.Empty, errors, request.InstructionName);
        for (int i = 0; i < request.Sources.Count; i++)
        {
            string prefix = "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (request.IsAdd && RemoteSource.TryParse(request.Sources[i]) is not null)
            {
                sink.Mark(prefix + " remote");
                continue;
            }
            foreach (var match in matcher.Match(request.Sources[i]))
            {
                ct.ThrowIfCancellationRequested();
                if (collector.IsExcluded(match.Name, match.IsDirectory)) continue;
                string target = prefix + "/" + match.RelativePath;
                if (request.Parents) AddAncestors(match, root, collector, prefix);
                collector.AddEntry(match.HostPath, match.Metadata, target);
                if (match.IsDirectory) collector.AddContents(match.HostPath, root.Relative(match.HostPath), "", target, ct);
            }
        }
        return sink.Digest();
    }

    /// <summary>A file or directory tree on the host (a fetched download or checkout, a bind mount's source), with the visibility filter of its root.</summary>
    public static Digest ComputePath(string hostPath, string rootRelative, IgnorePatterns? filter, ContentHasher hasher, CancellationToken ct) =>
        ComputePath(hostPath, rootRelative, filter, keepOwners: false, hasher, ct);

    /// <summary>As <see cref="ComputePath(string, string, IgnorePatterns?, ContentHasher, CancellationToken)"/>; with <paramref name="keepOwners"/> the files' owners on disk count too (a layer that keeps them).</summary>
    public static Digest ComputePath(string hostPath, string rootRelative, IgnorePatterns? filter, bool keepOwners, ContentHasher hasher, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        using var sink = new ChecksumSink(hasher);
        var collector = new SourceTreeCollector(sink, filter, IgnorePatterns.Empty, new EntryStamp(keepOwners ? null : CopyOwner.Root, null, null));
        if (LibC.TryStatx(hostPath) is { } metadata)
        {
            collector.AddEntry(hostPath, metadata, "/");
            if (metadata.Kind == UnixFileKind.Directory) collector.AddContents(hostPath, rootRelative, "", "/", ct);
        }
        else
        {
            sink.Mark("missing");
        }
        return sink.Digest();
    }

    /// <summary>--parents keeps the directories between the root and the source, with their metadata.</summary>
    private static void AddAncestors(SourceMatch match, SourceRoot root, SourceTreeCollector collector, string prefix)
    {
        string[] parts = match.RelativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string path = "";
        for (int i = 0; i < parts.Length - 1; i++)
        {
            path = path.Length == 0 ? parts[i] : path + "/" + parts[i];
            string host = root.Resolve(path, match.Word);
            if (LibC.TryStatx(host) is { Kind: UnixFileKind.Directory } metadata) collector.AddEntry(host, metadata, prefix + "/" + path);
        }
    }

    private sealed class ChecksumSink(ContentHasher hasher) : ICopyEntrySink, IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Dictionary<(ulong, ulong), string> _firstNameOfInode = [];

        public void Add(string imagePath, CopyEntry entry)
        {
            var header = entry.Header;
            Field(imagePath);
            Field(header.Type.ToString());
            Number(header.Mode);
            Number(header.Uid);
            Number(header.Gid);
            Number(header.Size);
            Field(header.LinkName);
            Number(header.DeviceMajor);
            Number(header.DeviceMinor);
            foreach (var (name, value) in (header.Xattrs ?? new Dictionary<string, byte[]>()).OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                Field(name);
                Bytes(value);
            }
            if (entry.Inode is { } inode)
            {
                Field(_firstNameOfInode.TryGetValue(inode, out string? first) ? first : _firstNameOfInode[inode] = imagePath);
            }
            if (header.Type == TarEntryType.RegularFile && entry.ContentPath is { } path && header.Size > 0)
            {
                Bytes(hasher.Hash(path, LibC.Statx(path)));
            }
            Field("");
        }

        public void Mark(string text) => Field(text);

        public Digest Digest() => Oci.Digest.FromHash("sha256", _hash.GetHashAndReset());

        public void Dispose() => _hash.Dispose();

        private void Field(string text) => Bytes(Encoding.UTF8.GetBytes(text));

        private void Bytes(byte[] bytes)
        {
            Number(bytes.Length);
            _hash.AppendData(bytes);
        }

        private void Number(long value)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            _hash.AppendData(buffer);
        }
    }
}
