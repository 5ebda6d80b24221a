using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>The archive an image is written to (<c>ContainerArchiveOutputPath</c>, <c>--archive</c>) and its format.</summary>
public static class ArchiveSetting
{
    /// <summary>
    /// The archive's full path, relative paths from <paramref name="baseDirectory"/>; a folder (an
    /// existing one, or a path ending in '/') gets a file named after the repository. Null when unset.
    /// </summary>
    public static string? Path(string? text, string baseDirectory, string repository)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string given = text.Trim();
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, given));
        bool isFolder = given.EndsWith('/') || given.EndsWith('\\') || Directory.Exists(path);
        return isFolder ? System.IO.Path.Combine(path, repository.Replace('/', '_') + ".tar") : path;
    }

    /// <summary>A Docker archive for the Docker format, else an OCI layout.</summary>
    public static ArchiveFormat FormatFor(ImageFormat? format) => format == ImageFormat.Docker ? ArchiveFormat.DockerArchive : ArchiveFormat.OciLayout;
}
