using System.Globalization;
using Containerize.Engine.Caching;
using Containerize.Engine.Copy;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// A folder on the host (the publish output) as one layer at <paramref name="destination"/>: files
/// owned by root unless <paramref name="keepOwners"/>, every time the fixed SOURCE_DATE_EPOCH (or
/// the Unix epoch), media type by the image's format. Keyed by the folder's content, hashed as COPY
/// hashes its sources, and those options.
/// </summary>
internal sealed class DirectoryLayerStep(string directory, string destination, bool keepOwners, ImageFormat? format, StepServices services) : BuildStep
{
    public override string Description => $"containerize: publish output to {destination}";

    private DateTimeOffset Timestamp => services.SourceDateEpoch ?? DateTimeOffset.UnixEpoch;

    public override async Task<Digest?> KeyAsync(StepContext context)
    {
        var ct = context.Cancellation;
        var content = await Task.Run(() => CopySourceChecksum.ComputePath(directory, "", null, keepOwners, services.Hasher, ct), ct).ConfigureAwait(false);
        return CacheKeyBuilder.Of("directory", k => k
            .Add(context.Parent)
            .Add(services.BuildWide)
            .Add(destination)
            .Add(keepOwners ? "owners=kept" : "owners=root")
            .Add(Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Add(MediaType(context))
            .Add(content));
    }

    public override async Task<StepOutput> ExecuteAsync(StepContext context)
    {
        var layer = await LayerBuilder.FromDirectoryAsync(directory, new LayerOptions
        {
            DestinationRoot = destination,
            Uid = keepOwners ? null : 0,
            Gid = keepOwners ? null : 0,
            Timestamp = Timestamp,
            TimestampMode = TimestampMode.Fixed,
            MediaType = MediaType(context),
        }, services.Settings.Store, context.Cancellation).ConfigureAwait(false);
        return new StepOutput(layer, Description);
    }

    public override void Record(StageConfigBuilder config, StepOutput? output) => config.RecordLayer(output!.History);

    private string MediaType(StepContext context) => (format ?? context.BaseFormat) == ImageFormat.Docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip;
}
