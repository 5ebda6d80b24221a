using Containerize.Engine.Builders;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>
/// Builds the image of a project from its properties and sends it to a registry or an archive. Each
/// parameter is read by the engine's parser for it (Builders/Inputs), the error naming the property.
/// </summary>
public sealed partial class BuildContainerImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        var log = new TaskBuildLog(Log);
        return TaskErrors.Run(Log, () =>
        {
            TaskParameterList.Apply(this, Parameters);
            if (string.IsNullOrWhiteSpace(PublishDirectory))
            {
                throw new ContainerizeException(ErrorCodes.PublishDirectoryMissing,
                    "BuildContainerImage has no PublishDirectory: run it through the BuildImage target, which publishes first, or give it the publish folder.");
            }
            string? marker = string.IsNullOrWhiteSpace(MarkerFile) ? null : FromProject(MarkerFile);
            if (marker is not null) ImageMarker.Delete(marker);
            var outputs = CreateOutputs();
            var settings = new BuildSettings
            {
                Store = StoreSetting.Open(StorePath, ProjectDirectory, log),
                Registry = new RegistryOptions { InsecureRegistries = InsecureRegistries, NetworkIdleTimeout = Engine.IO.NetworkIdleTimeout.Parse(NetworkIdleTimeout, "ContainerNetworkIdleTimeout") },
                Log = log,
                CacheMaxSize = StepCacheSetting.MaxSize(CacheMaxSize, "ContainerCacheMaxSize"),
                RunNetwork = RunNetworkSetting.Parse(RunNetwork, "ContainerRunNetwork"),
                Entitlements = BuildEntitlements.Parse(Allow, "ContainerAllow"),
            };
            var result = (string.IsNullOrWhiteSpace(Dockerfile)
                ? GeneratedImageBuilder.BuildAsync(CreateRequest(), outputs, settings, _cancellation.Token)
                : DockerfileImageBuilder.BuildAsync(CreateDockerfileRequest(), outputs, settings, _cancellation.Token)).GetAwaiter().GetResult();
            ManifestDigest = result.ManifestDigest.ToString();
            PushedReferences = result.PushedReferences.Select(r => (ITaskItem)new TaskItem(r)).ToArray();
            ArchivePath = result.ArchivePath;
            // A logged error (a warning turned into one, too) fails the target: no marker then either.
            if (marker is not null && !Log.HasLoggedErrors) new ImageMarker(ManifestDigest, result.PushedReferences, ArchivePath).Write(marker);
        }, _cancellation.Token);
    }

    private GeneratedImageRequest CreateRequest()
    {
        string[] entrypoint = [.. AppCommand.Select(i => i.ItemSpec), .. AppCommandArgs.Select(i => i.ItemSpec)];
        return new GeneratedImageRequest
        {
            PublishDirectory = FromProject(PublishDirectory),
            BaseImage = BaseImage.Trim(),
            Platform = PlatformSetting.Parse(Platform, "ContainerPlatform"),
            WorkingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? "/app" : WorkingDirectory.Trim(),
            Entrypoint = entrypoint.Length > 0 ? entrypoint : null,
            Cmd = DefaultArgs.Length > 0 ? DefaultArgs.Select(i => i.ItemSpec).ToArray() : null,
            User = string.IsNullOrWhiteSpace(User) ? null : User.Trim(),
            EnvironmentVariables = EnvironmentVariables.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            Labels = Labels.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            Ports = Ports.Select(i => string.IsNullOrEmpty(i.GetMetadata("Type")) ? i.ItemSpec : $"{i.ItemSpec}/{i.GetMetadata("Type")}").ToList(),
            Format = ImageFormatSetting.Parse(ImageFormat, "ContainerImageFormat"),
            SourceDateEpoch = Engine.Builders.Inputs.SourceDateEpoch.Parse(SourceDateEpoch),
        };
    }

    private DockerfileImageRequest CreateDockerfileRequest()
    {
        var contexts = NamedContextSetting.ParseAll(
            BuildContexts.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value"))), ProjectDirectory, "ContainerBuildContexts");
        // The publish output is always there to copy from, unless the project names another folder "publish".
        contexts.TryAdd("publish", FromProject(PublishDirectory));
        return new DockerfileImageRequest
        {
            DockerfilePath = FromProject(Dockerfile!),
            ContextDirectory = FromProject(string.IsNullOrWhiteSpace(BuildContext) ? "." : BuildContext),
            NamedContexts = contexts,
            BuildArgs = BuildArgSetting.Parse(BuildArgs.Select(i => KeyValuePair.Create(i.ItemSpec, MetadataOrNull(i, "Value"))), "ContainerBuildArg"),
            Secrets = SecretSetting.ById(Secrets.Select(i => SecretSetting.Parse(i.ItemSpec, i.GetMetadata("File"), i.GetMetadata("Environment"), ProjectDirectory, "ContainerSecret"))),
            SshAgents = SshAgentSetting.Parse(SshAgents.Select(i => KeyValuePair.Create(i.ItemSpec, MetadataOrNull(i, "Socket"))), ProjectDirectory, "ContainerSsh"),
            Target = string.IsNullOrWhiteSpace(Target) ? null : Target.Trim(),
            Platform = PlatformSetting.Parse(Platform, "ContainerPlatform"),
            Format = ImageFormatSetting.Parse(ImageFormat, "ContainerImageFormat"),
            SourceDateEpoch = Engine.Builders.Inputs.SourceDateEpoch.Parse(SourceDateEpoch),
            Cache = StepCacheSetting.Parse(NoCache, NoCacheFilter),
            Parallelism = Engine.Solver.BuildParallelism.Parse(BuildParallelism, "ContainerBuildParallelism"),
        };
    }

    private ImageOutputs CreateOutputs()
    {
        string repository = string.IsNullOrWhiteSpace(Repository)
            ? ImageNames.RepositoryFromProjectName(ProjectName ?? Path.GetFileName(ProjectDirectory.TrimEnd('/')))
            : RepositorySetting.Parse(Repository, "ContainerRepository");
        // ContainerImageTags wins over ContainerImageTag, as in the .NET SDK; without either, the project's version.
        var tags = ImageTagsSetting.Parse(ImageTags, "ContainerImageTags");
        if (tags.Count == 0) tags = ImageTagsSetting.Parse([ImageTag ?? ""], "ContainerImageTag");
        if (tags.Count == 0) tags = [string.IsNullOrWhiteSpace(ProjectVersion) ? "latest" : ImageNames.TagFromVersion(ProjectVersion.Trim())];
        return new ImageOutputs
        {
            PushTo = RepositorySetting.PushTarget(Registry, repository, "ContainerRegistry"),
            RepositoryName = repository,
            Tags = tags,
            ArchivePath = ArchiveSetting.Path(ArchiveOutputPath, ProjectDirectory, repository),
            ArchiveFormat = ArchiveSetting.FormatFor(ImageFormatSetting.Parse(ImageFormat, "ContainerImageFormat")),
        };
    }

    /// <summary>The metadata's value, or null when the item does not have it (an empty value is a value).</summary>
    private static string? MetadataOrNull(ITaskItem item, string name) =>
        item.MetadataNames.Cast<string>().Contains(name) ? item.GetMetadata(name) : null;

    private string FromProject(string path) => Path.GetFullPath(Path.Combine(ProjectDirectory, path.Trim()));
}
