using System.Text;

namespace Containerize.Tasks;

/// <summary>
/// The file BuildImage leaves in the intermediate folder after a successful build: the image
/// digest, the pushed references and the archive path, one per line (<c>digest …</c>,
/// <c>reference …</c>, <c>archive …</c>). It is the target's output, so an unchanged project
/// skips the build and reads what it would have returned from here.
/// </summary>
internal sealed record ImageMarker(string Digest, IReadOnlyList<string> References, string? ArchivePath)
{
    private const string DigestKey = "digest";
    private const string ReferenceKey = "reference";
    private const string ArchiveKey = "archive";

    /// <summary>The marker in <paramref name="path"/>, or null when there is none or it is not one.</summary>
    public static ImageMarker? Read(string path)
    {
        if (!File.Exists(path)) return null;
        string? digest = null, archive = null;
        var references = new List<string>();
        foreach (string line in File.ReadAllLines(path, Encoding.UTF8))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0) continue;
            string value = line[(space + 1)..];
            switch (line[..space])
            {
                case DigestKey: digest = value; break;
                case ReferenceKey: references.Add(value); break;
                case ArchiveKey: archive = value; break;
            }
        }
        return digest is null ? null : new ImageMarker(digest, references, archive);
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a marker.</summary>
    public void Write(string path)
    {
        var text = new StringBuilder().Append(DigestKey).Append(' ').Append(Digest).Append('\n');
        foreach (string reference in References) text.Append(ReferenceKey).Append(' ').Append(reference).Append('\n');
        if (ArchivePath is not null) text.Append(ArchiveKey).Append(' ').Append(ArchivePath).Append('\n');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Path.GetRandomFileName()}.tmp";
        File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the marker, so a build that fails from here on leaves nothing that would make the next one skip.</summary>
    public static void Delete(string path) => File.Delete(path);
}
