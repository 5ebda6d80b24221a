using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Store;

/// <summary>
/// Content-addressed blobs under <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>. A blob appears only
/// complete and verified: it is written to a temporary file and renamed into place, so builds
/// running at the same time (MSBuild <c>-m</c>) can share one store. Opening a store makes its
/// root private (<see cref="PrivateStoreRoot"/>) and removes the temporary files of builds that
/// were killed (<see cref="TemporaryName"/>).
/// </summary>
public sealed class BlobStore
{
    public const string RootEnvironmentVariable = "CONTAINERIZE_STORE";

    /// <param name="log">Where a warning goes when the store's root had to be made private.</param>
    public BlobStore(string root, IBuildLog? log = null)
    {
        Layout = new StoreLayout(root);
        Root = Layout.Root;
        try
        {
            PrivateStoreRoot.Prepare(Root, log ?? NullBuildLog.Instance);
            Directory.CreateDirectory(Layout.BlobFolder("sha256"));
            Directory.CreateDirectory(TempDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerizeException(ErrorCodes.StoreUnavailable,
                $"The image store '{Root}' cannot be created: {e.Message}. Set ContainerStorePath (or {RootEnvironmentVariable}) to a writable folder.", e);
        }
        ReclaimedOnOpen = TemporaryName.RemoveAbandonedIn(TempDirectory, ScratchDirectory.DeleteTree);
    }

    public string Root { get; }

    /// <summary>Where everything under <see cref="Root"/> lies.</summary>
    public StoreLayout Layout { get; }

    /// <summary>The partial blobs of killed builds removed when the store was opened.</summary>
    public ReclaimedSpace ReclaimedOnOpen { get; }

    internal string TempDirectory => Layout.TempFolder;

    /// <summary>
    /// The store folder when none is configured: <c>$CONTAINERIZE_STORE</c>, else
    /// <c>$XDG_DATA_HOME/containerize</c>, else the user's local application data folder.
    /// </summary>
    public static string DefaultRoot(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        if (getEnvironmentVariable(RootEnvironmentVariable) is { Length: > 0 } configured) return configured;
        if (getEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "containerize");
        string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(local))
        {
            local = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }
        return Path.Combine(local, "containerize");
    }

    public string PathFor(Digest digest) => Layout.BlobPath(digest);

    public bool Contains(Digest digest) => File.Exists(PathFor(digest));

    public long SizeOf(Digest digest) => new FileInfo(PathFor(digest)).Length;

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(PathFor(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException e)
        {
            throw new ContainerizeException(ErrorCodes.StoreUnavailable,
                $"The blob {digest} is missing from the image store '{Root}'. It may have been pruned while the build ran; build again.", e);
        }
    }

    public byte[] ReadAllBytes(Digest digest)
    {
        using var stream = OpenRead(digest);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Starts a blob whose digest is computed while it is written; <see cref="BlobWriter.Commit"/> moves it into place.</summary>
    public BlobWriter CreateWriter(string algorithm = "sha256") => new(this, algorithm);

    /// <summary>Stores bytes (typically a JSON document) and returns their digest.</summary>
    public Digest Put(ReadOnlySpan<byte> content)
    {
        var digest = Digest.Sha256(content);
        if (Contains(digest)) return digest;
        using var writer = CreateWriter();
        writer.Write(content);
        return writer.Commit(digest);
    }

    internal void Publish(string tempPath, Digest digest)
    {
        string target = PathFor(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(tempPath);
            return;
        }
        File.Move(tempPath, target, overwrite: true);
    }
}
