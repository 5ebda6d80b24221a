using System.Diagnostics;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Solver;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>
/// Builds an image from project properties: resolves the base image, turns the publish output
/// into one layer, writes the configuration, and exports the result.
/// </summary>
public static class GeneratedImageBuilder
{
    public static async Task<BuildResult> BuildAsync(
        GeneratedImageRequest request, ImageOutputs outputs, BuildSettings settings, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (!Directory.Exists(request.PublishDirectory))
        {
            throw new ContainerizeException(ErrorCodes.PublishDirectoryMissing,
                $"The publish folder '{request.PublishDirectory}' does not exist. Run the BuildImage target, which publishes first, or set PublishDir to the folder to put in the image.");
        }
        if (!request.WorkingDirectory.StartsWith('/'))
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"ContainerWorkingDirectory '{request.WorkingDirectory}' must be an absolute path inside the image, such as /app.");
        }

        KilledBuildLitter.Reclaim(settings.Store);
        using var session = new RegistrySession(settings.Registry with { Log = settings.Log });
        var baseImage = await ResolveBaseAsync(request, session, settings, cancellationToken).ConfigureAwait(false);
        var format = request.Format ?? baseImage.Format;
        var timestamp = request.SourceDateEpoch ?? DateTimeOffset.UnixEpoch;

        var layerStopwatch = Stopwatch.StartNew();
        var layer = await LayerBuilder.FromDirectoryAsync(request.PublishDirectory, new LayerOptions
        {
            DestinationRoot = request.WorkingDirectory,
            Uid = request.KeepFileOwners ? null : 0,
            Gid = request.KeepFileOwners ? null : 0,
            Timestamp = timestamp,
            TimestampMode = TimestampMode.Fixed,
            MediaType = format == ImageFormat.Docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip,
        }, settings.Store, cancellationToken).ConfigureAwait(false);
        settings.Log.Detail($"Application layer {layer.Descriptor.Digest} ({layer.Descriptor.Size:N0} bytes) in {layerStopwatch.ElapsedMilliseconds} ms");

        var created = request.SourceDateEpoch ?? DateTimeOffset.UtcNow;
        var config = GeneratedImageConfig.Create(request, baseImage, created);
        var history = new HistoryEntry
        {
            Created = config.Created,
            CreatedBy = $"containerize: publish output to {request.WorkingDirectory}",
            Comment = "containerize",
        };
        var image = ImageAssembler.Assemble(baseImage, config, [layer], [history], format, settings.Store);

        var result = await ImageExporter.ExportAsync(image, outputs, session, settings, cancellationToken).ConfigureAwait(false);
        settings.Log.Info($"Built image {image.ManifestDigest} in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static async Task<BaseImage> ResolveBaseAsync(
        GeneratedImageRequest request, RegistrySession session, BuildSettings settings, CancellationToken cancellationToken)
    {
        if (string.Equals(request.BaseImage, "scratch", StringComparison.OrdinalIgnoreCase)) return BaseImage.Scratch;
        var reference = ImageReference.Parse(request.BaseImage);
        var resolved = await session.ResolveAsync(reference, request.Platform, settings.Store, cancellationToken).ConfigureAwait(false);
        settings.Log.Info($"Base image {reference.ToFamiliarString()} resolved to {resolved.ManifestDigest}");
        return BaseImage.From(resolved);
    }
}
