using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>What the last successful BuildImage left in its marker, for a build that skips the target because nothing changed.</summary>
public sealed class ReadContainerImageMarker : Microsoft.Build.Utilities.Task
{
    [Required] public string MarkerFile { get; set; } = "";

    /// <summary>Empty when there is no marker.</summary>
    [Output] public string ManifestDigest { get; private set; } = "";

    [Output] public ITaskItem[] PushedReferences { get; private set; } = [];

    [Output] public string? ArchivePath { get; private set; }

    public override bool Execute()
    {
        if (ImageMarker.Read(MarkerFile) is not { } marker) return true;
        ManifestDigest = marker.Digest;
        PushedReferences = marker.References.Select(r => (ITaskItem)new TaskItem(r)).ToArray();
        ArchivePath = marker.ArchivePath;
        return true;
    }
}
