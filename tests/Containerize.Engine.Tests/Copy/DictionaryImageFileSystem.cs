using System.Text;
using Containerize.Engine.Copy;

namespace Containerize.Engine.Tests.Copy;

/// <summary>Test data for the image below a COPY: a set of directories and file contents by absolute path.</summary>
internal sealed class DictionaryImageFileSystem : IImageFileSystem
{
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public DictionaryImageFileSystem WithDirectory(string path)
    {
        for (string p = path.TrimEnd('/'); p.Length > 0; p = p[..p.LastIndexOf('/')]) _directories.Add(p);
        return this;
    }

    public DictionaryImageFileSystem WithFile(string path, string content)
    {
        WithDirectory(path[..path.LastIndexOf('/')]);
        _files[path] = Encoding.UTF8.GetBytes(content);
        return this;
    }

    public bool IsDirectory(string absolutePath) => _directories.Contains(absolutePath.Length > 1 ? absolutePath.TrimEnd('/') : absolutePath);

    public byte[]? ReadFile(string absolutePath) => _files.GetValueOrDefault(absolutePath);
}
