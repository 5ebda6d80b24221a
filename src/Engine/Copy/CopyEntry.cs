using Containerize.Engine.Layers;

namespace Containerize.Engine.Copy;

/// <summary>One entry of the layer being built: its header and where a regular file's bytes come from (a host file or inline heredoc text).</summary>
/// <remarks><see cref="Inode"/> is set for host files with several names, so the layer can keep them hard-linked.</remarks>
internal sealed record CopyEntry(TarEntry Header, string? ContentPath = null, byte[]? InlineContent = null, (ulong Device, ulong Inode)? Inode = null)
{
    public Stream? OpenContent()
    {
        if (Header.Size == 0) return null;
        if (InlineContent is not null) return new MemoryStream(InlineContent, writable: false);
        return new FileStream(ContentPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
    }
}
