using Containerize.Engine.Archives;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>Sends a built image to every requested output: a registry push, an archive, or both.</summary>
public static class ImageExporter
{
    public static async Task<BuildResult> ExportAsync(
        BuiltImage image, ImageOutputs outputs, RegistrySession session, BuildSettings settings, CancellationToken cancellationToken)
    {
        if (outputs.PushTo is null && outputs.ArchivePath is null)
        {
            throw new ContainerizeException(ErrorCodes.NoOutputConfigured,
                "The image has nowhere to go: set ContainerRegistry to push it, or ContainerArchiveOutputPath to write an archive.");
        }
        if (outputs.Tags.Count == 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty, "No image tag is set: set ContainerImageTag or ContainerImageTags.");
        }

        IReadOnlyList<string> pushed = [];
        long bytesPushed = 0;
        if (outputs.PushTo is { } destination)
        {
            var push = await session.PushAsync(image, destination, outputs.Tags, settings.Store, cancellationToken).ConfigureAwait(false);
            pushed = push.References;
            bytesPushed = push.BytesUploaded;
            settings.Log.Info($"Pushed {string.Join(", ", push.References)} ({push.BlobsUploaded} blobs uploaded, {push.BytesUploaded:N0} bytes; {push.BlobsSkipped} already present; {push.BlobsMounted} mounted)");
        }

        string? archivePath = null;
        if (outputs.ArchivePath is { } path)
        {
            archivePath = Path.GetFullPath(path);
            await session.EnsureBlobsAsync(image.Layers, settings.Store, cancellationToken).ConfigureAwait(false);
            var names = outputs.Tags.Select(tag => ArchiveName(outputs, tag)).ToList();
            if (outputs.ArchiveFormat == ArchiveFormat.DockerArchive)
            {
                await DockerArchiveWriter.WriteAsync(image, names, settings.Store, archivePath, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await OciArchiveWriter.WriteAsync(image, names, settings.Store, archivePath, cancellationToken).ConfigureAwait(false);
            }
            settings.Log.Info($"Wrote {(outputs.ArchiveFormat == ArchiveFormat.DockerArchive ? "Docker" : "OCI")} archive {archivePath}");
        }

        return new BuildResult(image.ManifestDigest, image.ManifestMediaType, pushed, archivePath, image) { BytesPushed = bytesPushed };
    }

    private static ImageReference ArchiveName(ImageOutputs outputs, string tag) =>
        outputs.PushTo is { } destination
            ? destination.WithTag(tag)
            : ImageReference.Parse(outputs.RepositoryName).WithTag(tag);
}
