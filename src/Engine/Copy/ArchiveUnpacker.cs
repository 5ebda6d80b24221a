using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;

namespace Containerize.Engine.Copy;

/// <summary>
/// ADD's archive extraction: a source that is a (compressed) tar archive is unpacked into the
/// destination instead of copied. The extracted files stay in temporary directories until the
/// layer is written, and are removed on dispose.
/// </summary>
internal sealed class ArchiveUnpacker(CopyTree tree, string destinationPath, IgnorePatterns excludes, EntryStamp stamp, CopyErrors errors) : IDisposable
{
    public const string TemporaryPrefix = "ctz-add-";
    private readonly List<string> _directories = [];

    /// <summary>Unpacks the file into the destination and returns true when it is a tar archive; false (nothing done) otherwise.</summary>
    public bool TryUnpack(string hostPath, string word, CancellationToken ct)
    {
        if (TarArchiveOpener.TryOpen(hostPath, errors) is not { } archive) return false;
        string extracted = Extract(archive, word, ct);
        _directories.Add(extracted);
        tree.EnsureDirectory(destinationPath);
        new SourceTreeCollector(tree, null, excludes, stamp).AddContents(extracted, "", "", destinationPath, ct);
        return true;
    }

    private string Extract(Stream archive, string word, CancellationToken ct)
    {
        using var _ = archive;
        // Private: as root the archive's setuid programs and device nodes are unpacked as they are.
        string directory = ScratchDirectory.CreatePrivate(TemporaryPrefix);
        try
        {
            LayerExtractor.ExtractAsync(archive, directory, new ExtractOptions { PreserveOwnership = LibC.IsRoot, ApplyWhiteouts = false }, ct).GetAwaiter().GetResult();
            return directory;
        }
        catch (ContainerizeException e) when (e.Location is null)
        {
            ScratchDirectory.DeleteTree(directory);
            throw errors.Create(ErrorCodes.CopyArchiveUnreadable, $"ADD could not extract '{word}': {e.Message}", e);
        }
        catch
        {
            ScratchDirectory.DeleteTree(directory);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (string directory in _directories) ScratchDirectory.DeleteTree(directory);
        _directories.Clear();
    }
}
