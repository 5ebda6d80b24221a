using System.Collections.Concurrent;
using System.Security.Cryptography;
using Containerize.Engine.Layers.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// SHA-256 of host files, streamed, remembered for one build: a file that several steps select
/// (<c>COPY *.csproj</c>, then <c>COPY . .</c>) is read once. The memo is keyed by the file's
/// identity, size and time, which only serve to notice a change during the build; the hashes
/// themselves are of content alone. Safe for stages running at the same time.
/// </summary>
public sealed class ContentHasher
{
    private readonly ConcurrentDictionary<(string Path, ulong Device, ulong Inode, long Size, long Mtime), byte[]> _memo = new();

    internal byte[] Hash(string hostPath, FileMetadata metadata) =>
        _memo.GetOrAdd((hostPath, metadata.Device, metadata.Inode, metadata.Size, metadata.MtimeSeconds), static key =>
        {
            using var stream = new FileStream(key.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            return SHA256.HashData(stream);
        });
}
