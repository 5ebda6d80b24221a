using Containerize.Engine.Layers;

namespace Containerize.Engine.Copy;

/// <summary>One entry of the layer being built: its header and where a regular file's bytes come from (a host file or inline heredoc text).</summary>
internal sealed record CopyEntry(TarEntry Header, string? ContentPath = null, byte[]? InlineContent = null)
{
    public Stream? OpenContent()
    {
        if (Header.Size == 0) return null;
        if (InlineContent is not null) return new MemoryStream(InlineContent, writable: false);
        return new FileStream(ContentPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
    }
}
