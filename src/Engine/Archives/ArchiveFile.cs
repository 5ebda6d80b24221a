namespace Containerize.Engine.Archives;

/// <summary>A regular file to put in an image archive; <see cref="Open"/> is called only when the entry is written.</summary>
internal sealed record ArchiveFile(string Name, long Size, Func<Stream> Open)
{
    public static ArchiveFile FromBytes(string name, byte[] content) => new(name, content.Length, () => new MemoryStream(content, writable: false));
}
