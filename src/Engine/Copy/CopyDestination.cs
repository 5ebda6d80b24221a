using Containerize.Engine.IO;

namespace Containerize.Engine.Copy;

/// <summary>
/// The absolute, cleaned destination and whether sources go into it (a trailing '/', a final ".",
/// an existing directory in the image, or --parents) rather than becoming it.
/// </summary>
internal sealed record CopyDestination(string Path, bool IsDirectory)
{
    public static CopyDestination Resolve(CopyRequest request, IImageFileSystem image)
    {
        string destination = request.Destination;
        string absolute = destination.StartsWith('/') ? destination : request.WorkingDirectory.TrimEnd('/') + "/" + destination;
        string cleaned = SlashPath.Clean("/" + absolute.TrimStart('/'));
        bool endsAsDirectory = cleaned == "/" || destination.EndsWith('/') || destination == "." || destination.EndsWith("/.", StringComparison.Ordinal);
        return new CopyDestination(cleaned, endsAsDirectory || request.Parents || image.IsDirectory(cleaned));
    }

    /// <summary>An image path below the destination.</summary>
    public string Below(string relative) => relative.Length == 0 ? Path : Path.TrimEnd('/') + "/" + relative;
}
