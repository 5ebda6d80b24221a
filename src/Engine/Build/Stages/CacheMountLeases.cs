using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.IO;
using Containerize.Engine.Layers.Native;
using Containerize.Engine.Store;

namespace Containerize.Engine.Build.Stages;

/// <summary>
/// The directories of one step's <c>RUN --mount=type=cache</c> mounts: kept in the store across
/// builds (never in a layer) under a hash of their id, created with their mode and owner, and shared
/// as BuildKit's <c>sharing</c> says — <c>shared</c>: by everyone at once; <c>locked</c>: one step at
/// a time, others wait; <c>private</c>: the first step gets the cache, a step that finds it in use
/// gets a fresh empty directory of its own for this run. Locks are file locks, so they hold across
/// concurrent builds; disposing releases them.
/// </summary>
internal sealed class CacheMountLeases(BlobStore store, IBuildLog log) : IDisposable
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);
    private readonly List<FileStream> _locks = [];

    public async Task<string> AcquireAsync(CacheMount cache, ScratchDirectory scratch, CancellationToken ct)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(cache.Id))).ToLowerInvariant();
        string directory = Path.Combine(store.Root, "cache-mounts", key);
        if (!Directory.Exists(directory)) Create(directory, cache);
        switch (cache.Sharing)
        {
            case CacheSharing.Locked:
                bool waited = false;
                FileStream? held;
                while ((held = TryLock(directory)) is null)
                {
                    if (!waited) log.Info($"RUN --mount=type=cache,id={cache.Id},sharing=locked: waiting for another step that uses the cache");
                    waited = true;
                    await Task.Delay(LockPoll, ct).ConfigureAwait(false);
                }
                _locks.Add(held);
                return directory;
            case CacheSharing.Private when TryLock(directory) is { } privateLock:
                _locks.Add(privateLock);
                return directory;
            case CacheSharing.Private:
                log.Detail($"RUN --mount=type=cache,id={cache.Id},sharing=private: the cache is in use; this step gets an empty one");
                string own = scratch.CreateSubdirectory("cache-" + Guid.NewGuid().ToString("N"));
                Create(own, cache);
                return own;
            default:
                return directory;
        }
    }

    public void Dispose()
    {
        foreach (var held in _locks) held.Dispose();
        _locks.Clear();
    }

    /// <summary>An exclusive lock on the cache (FileShare.None is an flock that other processes and other opens see), or null when another holds it.</summary>
    private static FileStream? TryLock(string directory)
    {
        try
        {
            return new FileStream(directory + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Create(string directory, CacheMount cache)
    {
        Directory.CreateDirectory(directory);
        LibC.Chmod(directory, cache.Mode is { } mode ? Convert.ToInt32(mode, 8) : 0b111_101_101);
        if (LibC.IsRoot) LibC.Lchown(directory, long.Parse(cache.Uid ?? "0", CultureInfo.InvariantCulture), long.Parse(cache.Gid ?? "0", CultureInfo.InvariantCulture));
    }
}
