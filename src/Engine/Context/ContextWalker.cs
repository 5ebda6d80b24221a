using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;

namespace Containerize.Engine.Context;

/// <summary>
/// Lists a build context the way BuildKit's file sync (tonistiigi/fsutil) does: depth first, names
/// in UTF-8 byte order, the root not listed, symlinks not followed. An excluded directory is not
/// even read unless a later "!" exception could take back something below it; such a directory is
/// listed only when something below it is.
/// </summary>
public static class ContextWalker
{
    public static IReadOnlyList<ContextEntry> Walk(string contextDirectory, IgnorePatterns patterns, CancellationToken ct) =>
        Walk(contextDirectory, patterns, includes: null, ct);

    /// <summary>
    /// With <paramref name="includes"/>, only paths they match (and the directories leading to
    /// them) are listed, like BuildKit's include filter for COPY sources.
    /// </summary>
    public static IReadOnlyList<ContextEntry> Walk(string contextDirectory, IgnorePatterns patterns, IgnorePatterns? includes, CancellationToken ct) =>
        Walk(contextDirectory, patterns, includes, onDirectoryRead: null, ct);

    /// <summary><paramref name="onDirectoryRead"/> sees the relative path of every directory listed from disk ("" for the root).</summary>
    internal static IReadOnlyList<ContextEntry> Walk(string contextDirectory, IgnorePatterns patterns, IgnorePatterns? includes,
        Action<string>? onDirectoryRead, CancellationToken ct)
    {
        string root = Path.GetFullPath(contextDirectory);
        if (!Directory.Exists(root))
        {
            throw new ContainerizeException(ErrorCodes.ContextDirectoryMissing,
                $"The build context directory '{root}' does not exist; set ContainerBuildContext to an existing directory.");
        }
        var walk = new ContextWalk(patterns, includes, onDirectoryRead, ct);
        walk.WalkDirectory(root, "");
        return walk.Entries;
    }

    /// <summary>The state of one walk: the result and the directories not yet listed because they are only kept for what is below them.</summary>
    private sealed class ContextWalk(IgnorePatterns excludes, IgnorePatterns? includes, Action<string>? onDirectoryRead, CancellationToken ct)
    {
        private readonly List<ContextEntry> _pendingDirectories = [];

        public List<ContextEntry> Entries { get; } = [];

        public void WalkDirectory(string fullPath, string relativePath)
        {
            foreach (string name in ReadNames(fullPath, relativePath))
            {
                ct.ThrowIfCancellationRequested();
                string childFull = Path.Combine(fullPath, name);
                string childRelative = relativePath.Length == 0 ? name : relativePath + "/" + name;
                if (ReadEntry(childFull, childRelative) is not { } entry) continue; // removed while walking

                bool excluded = excludes.Matches(childRelative);
                bool included = includes is null || includes.Matches(childRelative);
                bool listed = !excluded && included;
                if (listed) Add(entry);
                if (entry.Kind != ContextEntryKind.Directory) continue;

                bool mayHoldListed = (!excluded || !excludes.CanSkipDirectory(childRelative))
                    && (included || includes!.CouldMatchAtOrBelow(childRelative));
                if (!mayHoldListed) continue;
                if (!listed) _pendingDirectories.Add(entry);
                WalkDirectory(childFull, childRelative);
                if (!listed && _pendingDirectories.Count > 0 && _pendingDirectories[^1] == entry) _pendingDirectories.RemoveAt(_pendingDirectories.Count - 1);
            }
        }

        private void Add(ContextEntry entry)
        {
            Entries.AddRange(_pendingDirectories);
            _pendingDirectories.Clear();
            Entries.Add(entry);
        }

        private IEnumerable<string> ReadNames(string fullPath, string relativePath)
        {
            onDirectoryRead?.Invoke(relativePath);
            try
            {
                var names = Directory.EnumerateFileSystemEntries(fullPath).Select(p => Path.GetFileName(p)).ToList();
                names.Sort(Utf8OrdinalComparer.Instance);
                return names;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ContainerizeException(ErrorCodes.ContextUnreadable,
                    $"The build context directory '{fullPath}' could not be read ({e.Message}); fix its permissions or exclude it in .dockerignore.", e);
            }
        }

        private static ContextEntry? ReadEntry(string fullPath, string relativePath)
        {
            FileMetadata? read;
            try
            {
                read = LibC.TryStatx(fullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ContainerizeException)
            {
                throw new ContainerizeException(ErrorCodes.ContextUnreadable,
                    $"'{fullPath}' in the build context could not be read ({e.Message}); fix its permissions or exclude it in .dockerignore.", e);
            }
            if (read is not { } metadata) return null;

            var kind = metadata.Kind switch
            {
                UnixFileKind.RegularFile => ContextEntryKind.File,
                UnixFileKind.Directory => ContextEntryKind.Directory,
                UnixFileKind.SymbolicLink => ContextEntryKind.Symlink,
                _ => ContextEntryKind.Other,
            };
            string? target = kind == ContextEntryKind.Symlink ? new FileInfo(fullPath).LinkTarget : null;
            long size = kind switch
            {
                ContextEntryKind.File => metadata.Size,
                ContextEntryKind.Symlink => metadata.Size,
                _ => 0,
            };
            var lastWrite = DateTimeOffset.FromUnixTimeSeconds(metadata.MtimeSeconds).UtcDateTime;
            return new ContextEntry(relativePath, fullPath, kind, size, (UnixFileMode)metadata.Permissions, lastWrite, target);
        }
    }
}
