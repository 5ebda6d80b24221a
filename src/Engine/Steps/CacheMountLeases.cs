using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Execution;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Store;

namespace Containerize.Engine.Steps;

/// <summary>
/// The directories of one step's <c>RUN --mount=type=cache</c> mounts: kept in the store across
/// builds (never in a layer) under a hash of their id, created with their mode and owner, and shared
/// as BuildKit's <c>sharing</c> says — <c>shared</c>: by everyone at once; <c>locked</c>: one step at
/// a time, others wait; <c>private</c>: the first step gets the cache, a step that finds it in use
/// gets a fresh empty directory of its own for this run. Locks are file locks, so they hold across
/// concurrent builds; disposing releases them. With <c>from=</c> the cache starts as a copy of that
/// source (a stage, image or context folder) and is kept apart from caches of the same id that
/// started from other content, as BuildKit keys it by id and source.
/// </summary>
internal sealed class CacheMountLeases(BlobStore store, UserNamespaceFiles? namespaceFiles, IBuildLog log) : IDisposable
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);
    private readonly List<FileStream> _locks = [];

    public async Task<string> AcquireAsync(CacheMount cache, CacheSeed? seed, ScratchDirectory scratch, CancellationToken ct)
    {
        string name = seed is null ? cache.Id : cache.Id + "\n" + seed.Identity;
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
        string directory = store.Layout.CacheMountFolder(key);
        if (!Directory.Exists(directory))
        {
            if (seed is null) await CreateAsync(directory, cache, ct).ConfigureAwait(false);
            else await SeedAsync(directory, seed, ct).ConfigureAwait(false);
        }
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
                string own = Path.Combine(scratch.Path, "cache-" + Guid.NewGuid().ToString("N"));
                if (seed is null) await CreateAsync(own, cache, ct).ConfigureAwait(false);
                else await SeedAsync(own, seed, ct).ConfigureAwait(false);
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

    /// <summary>An empty cache with the mount's mode and owner (the owner given inside the user namespace when rootless).</summary>
    private async Task CreateAsync(string directory, CacheMount cache, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        int mode = cache.Mode is { } given ? Convert.ToInt32(given, 8) : 0b111_101_101;
        LibC.Chmod(directory, mode);
        long uid = long.Parse(cache.Uid ?? "0", CultureInfo.InvariantCulture);
        long gid = long.Parse(cache.Gid ?? "0", CultureInfo.InvariantCulture);
        if (LibC.IsRoot) LibC.Lchown(directory, uid, gid);
        else if ((uid != 0 || gid != 0) && namespaceFiles is { MapsOtherIds: true })
        {
            await namespaceFiles.ApplyOwnersAsync(Path.GetDirectoryName(directory)!, [new ContainerFileOwner(Path.GetFileName(directory), uid, gid, mode)], ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A cache that starts as a copy of its <c>from</c> source, as it is (mode, uid and gid apply
    /// only to an empty cache, as in BuildKit). Copied beside the cache and renamed into place, so
    /// a concurrent build sees either no cache or the whole copy.
    /// </summary>
    private static async Task SeedAsync(string directory, CacheSeed seed, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        string copy = directory + ".seed-" + Guid.NewGuid().ToString("N");
        try
        {
            await TreeCopy.CopyAsync(seed.Directory, copy, ct).ConfigureAwait(false);
            try
            {
                Directory.Move(copy, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                // Another build seeded it first: use theirs.
            }
        }
        finally
        {
            if (Path.Exists(copy)) ScratchDirectory.DeleteTree(copy);
        }
    }
}
