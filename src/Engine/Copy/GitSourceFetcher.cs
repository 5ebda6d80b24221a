using System.Globalization;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// Checks out an ADD git source with the git program, as BuildKit's git source does: the ref (a
/// branch, a tag, a full commit hash, or the remote's HEAD) is fetched shallowly where the server
/// allows it, --checksum must be a hex prefix of the commit (or of the annotated tag) it resolves
/// to, submodules are checked out too, and .git is removed unless --keep-git-dir. Files get git's
/// modes (0644, or 0755 when executable; directories 0755) whatever the process umask, and the
/// commit's time.
/// </summary>
internal static class GitSourceFetcher
{
    public const string TemporaryPrefix = "ctz-git-";

    public static async Task<FetchedSource> FetchAsync(GitSource source, string? checksum, bool keepGitDir, CopyErrors errors, CancellationToken ct)
    {
        EnsureNoOption(source, errors);
        string directory = ScratchDirectory.CreatePrivate(TemporaryPrefix);
        try
        {
            string checkout = Path.Combine(directory, "checkout");
            Directory.CreateDirectory(checkout);
            var git = new GitCommand(checkout, source, errors);
            await git.RunCheckedAsync("could not prepare a repository for", ct, "init", "-q").ConfigureAwait(false);
            await git.RunCheckedAsync("could not prepare a repository for", ct, "remote", "add", "origin", "--", source.Remote).ConfigureAwait(false);
            var (commit, tag) = await ResolveAsync(git, source, errors, ct).ConfigureAwait(false);
            if (checksum is not null) VerifyChecksum(source, checksum, commit, tag, errors);

            await git.RunCheckedAsync("could not check out", ct, "-c", "advice.detachedHead=false", "checkout", "-q", commit).ConfigureAwait(false);
            if (File.Exists(Path.Combine(checkout, ".gitmodules")))
            {
                await git.RunCheckedAsync("could not check out the submodules of", ct, "submodule", "update", "--init", "--recursive", "--depth=1").ConfigureAwait(false);
            }
            string time = await git.RunCheckedAsync("could not read the commit time of", ct, "show", "-s", "--format=%ct", commit).ConfigureAwait(false);
            long commitSeconds = long.Parse(time.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

            if (!keepGitDir) Directory.Delete(Path.Combine(checkout, ".git"), recursive: true);
            LibC.Chmod(checkout, 0b111_101_101);
            NormalizeModes(checkout, skip: Path.Combine(checkout, ".git"));
            string root = SubDirectory(checkout, source, errors);
            return new FetchedSource(source, root, directory, commitSeconds);
        }
        catch
        {
            ScratchDirectory.DeleteTree(directory);
            throw;
        }
    }

    /// <summary>
    /// A repository or ref starting with '-' would reach git as an option (--upload-pack=… runs a
    /// command); no real ref or URL starts so.
    /// </summary>
    private static void EnsureNoOption(GitSource source, CopyErrors errors)
    {
        string? word = source.Remote.StartsWith('-') ? $"the repository '{source.Remote}'"
            : source.Ref?.StartsWith('-') == true ? $"the ref '{source.Ref}'" : null;
        if (word is null) return;
        throw errors.Create(ErrorCodes.UnsafeGitSource,
            $"ADD refuses '{source.Display}': {word} starts with '-', which git would take as an option. Write a branch, tag or commit after '#', and a repository URL (https://, ssh://, git:// or user@host:path).");
    }

    /// <summary>--checksum for git: hex digits only (a prefix of the commit hash).</summary>
    public static void ValidateChecksum(string checksum, CopyErrors errors)
    {
        if (checksum.Length == 0 || !checksum.All(char.IsAsciiHexDigit))
        {
            throw errors.Create(ErrorCodes.InvalidAddChecksum,
                $"--checksum={checksum} is not valid for a git source: write the commit hash (or a prefix of it) the ref must resolve to, e.g. --checksum=$(git rev-parse v1.2.3).");
        }
    }

    /// <summary>Fetches the ref and returns the commit hash and, for an annotated tag, the tag object's hash.</summary>
    private static async Task<(string Commit, string? Tag)> ResolveAsync(GitCommand git, GitSource source, CopyErrors errors, CancellationToken ct)
    {
        string reference = source.Ref ?? "HEAD";
        if (IsCommitHash(reference))
        {
            var shallow = await git.RunAsync(ct, "fetch", "-q", "--depth=1", "--no-tags", "origin", reference).ConfigureAwait(false);
            if (shallow.ExitCode != 0)
            {
                // Servers that refuse unadvertised objects: fetch every branch and tag, then look for the commit.
                await git.RunCheckedAsync("could not fetch", ct, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*").ConfigureAwait(false);
            }
            var exists = await git.RunAsync(ct, "rev-parse", "--verify", "-q", reference.ToLowerInvariant() + "^{commit}").ConfigureAwait(false);
            if (exists.ExitCode != 0)
            {
                throw errors.Create(ErrorCodes.GitFetchFailed,
                    $"ADD could not find the commit {reference} in '{source.Display}'. Check the hash, and that the commit is on a branch or tag of that repository.");
            }
            return (exists.Output.Trim(), null);
        }

        var fetch = await git.RunAsync(ct, "fetch", "-q", "--depth=1", "--no-tags", "origin", reference).ConfigureAwait(false);
        if (fetch.ExitCode != 0)
        {
            string what = source.Ref is null ? "its default branch (HEAD)" : $"the ref '{reference}'";
            throw errors.Create(ErrorCodes.GitFetchFailed,
                $"ADD could not fetch {what} from '{source.Display}': {GitCommand.Describe(fetch)}. Check the repository URL, that the branch, tag or commit exists, and the credentials for it.");
        }
        string fetched = (await git.RunCheckedAsync("could not resolve the fetched ref of", ct, "rev-parse", "FETCH_HEAD").ConfigureAwait(false)).Trim();
        string commit = (await git.RunCheckedAsync("could not resolve the fetched ref of", ct, "rev-parse", "FETCH_HEAD^{commit}").ConfigureAwait(false)).Trim();
        return (commit, fetched == commit ? null : fetched);
    }

    private static bool IsCommitHash(string reference) => reference.Length is 40 or 64 && reference.All(char.IsAsciiHexDigit);

    private static void VerifyChecksum(GitSource source, string checksum, string commit, string? tag, CopyErrors errors)
    {
        string expected = checksum.ToLowerInvariant();
        if (commit.StartsWith(expected, StringComparison.Ordinal) || tag?.StartsWith(expected, StringComparison.Ordinal) == true) return;
        string got = tag is null ? $"commit {commit}" : $"commit {commit} (annotated tag object {tag})";
        throw errors.Create(ErrorCodes.RemoteChecksumMismatch,
            $"ADD expected '{source.Display}' to resolve to a commit starting with {checksum} (--checksum), but it resolves to {got}. " +
            "The ref moved or the checksum is wrong: pin the ref to the commit, or update --checksum if the new commit is trusted.");
    }

    /// <summary>The directory #ref:subdir names inside the checkout; every part must be a real directory (no links, no "..").</summary>
    private static string SubDirectory(string checkout, GitSource source, CopyErrors errors)
    {
        if (source.SubDirectory is null) return checkout;
        string path = checkout;
        foreach (string part in source.SubDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            path = Path.Combine(path, part);
            if (part == ".." || LibC.TryStatx(path) is not { Kind: UnixFileKind.Directory })
            {
                throw errors.Create(ErrorCodes.InvalidGitSubdirectory,
                    $"ADD '{source.Display}': '{source.SubDirectory}' is not a directory of the repository at that ref (each part must be a real directory, not a link or '..'). Check the path after ':' in the fragment.");
            }
        }
        return path;
    }

    private static void NormalizeModes(string directory, string skip)
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(directory))
        {
            if (path == skip) continue;
            switch (LibC.TryStatx(path))
            {
                case { Kind: UnixFileKind.Directory }:
                    LibC.Chmod(path, 0b111_101_101);
                    NormalizeModes(path, skip);
                    break;
                case { Kind: UnixFileKind.RegularFile } file:
                    LibC.Chmod(path, (file.Permissions & 0b001_000_000) != 0 ? 0b111_101_101 : 0b110_100_100);
                    break;
            }
        }
    }
}
