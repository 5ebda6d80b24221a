using System.Collections.Concurrent;
using System.Security.Cryptography;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// SHA-256 of host files, streamed, remembered for one build: a file that several steps select
/// (<c>COPY *.csproj</c>, then <c>COPY . .</c>) is read once. The memo is keyed by the file's
/// identity, size and time, which only serve to notice a change during the build; the hashes
/// themselves are of content alone. Safe for stages running at the same time, and for the hashing
/// ahead of the steps (<c>ContextPrehash</c>): a file two threads ask for at once is read once.
/// </summary>
public sealed class ContentHasher
{
    private readonly ConcurrentDictionary<(string Path, ulong Device, ulong Inode, long Size, long Mtime), Lazy<byte[]>> _memo = new();

    /// <summary>How many files have been hashed (or are being hashed).</summary>
    internal int Count => _memo.Count;

    internal byte[] Hash(string hostPath, FileMetadata metadata) =>
        _memo.GetOrAdd((hostPath, metadata.Device, metadata.Inode, metadata.Size, metadata.MtimeSeconds),
            static key => new Lazy<byte[]>(() => HashFile(key.Path), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static byte[] HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        return SHA256.HashData(stream);
    }
}
