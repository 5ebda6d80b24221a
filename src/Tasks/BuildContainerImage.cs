using Containerize.Engine.Builders;
using Containerize.Engine.Caching;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>Builds the image of a project from its properties and sends it to a registry or an archive.</summary>
public sealed partial class BuildContainerImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        var log = new TaskBuildLog(Log);
        return TaskErrors.Run(Log, () =>
        {
            string? marker = string.IsNullOrWhiteSpace(MarkerFile) ? null : FromProject(MarkerFile);
            if (marker is not null) ImageMarker.Delete(marker);
            var outputs = CreateOutputs();
            var settings = new BuildSettings
            {
                Store = new BlobStore(string.IsNullOrWhiteSpace(StorePath) ? BlobStore.DefaultRoot() : FromProject(StorePath), log),
                Registry = new RegistryOptions { InsecureRegistries = InsecureRegistries, NetworkIdleTimeout = Engine.IO.NetworkIdleTimeout.Parse(NetworkIdleTimeout, "ContainerNetworkIdleTimeout") },
                Log = log,
                CacheMaxSize = string.IsNullOrWhiteSpace(CacheMaxSize) ? BuildSettings.DefaultCacheMaxSize : ByteSize.Parse(CacheMaxSize, "ContainerCacheMaxSize"),
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
            Platform = string.IsNullOrWhiteSpace(Platform) ? Engine.Oci.Platform.Host : Engine.Oci.Platform.Parse(Platform),
            WorkingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? "/app" : WorkingDirectory.Trim(),
            Entrypoint = entrypoint.Length > 0 ? entrypoint : null,
            Cmd = DefaultArgs.Length > 0 ? DefaultArgs.Select(i => i.ItemSpec).ToArray() : null,
            User = string.IsNullOrWhiteSpace(User) ? null : User.Trim(),
            EnvironmentVariables = EnvironmentVariables.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            Labels = Labels.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            Ports = Ports.Select(i => string.IsNullOrEmpty(i.GetMetadata("Type")) ? i.ItemSpec : $"{i.ItemSpec}/{i.GetMetadata("Type")}").ToList(),
            Format = ImageFormatSetting.Parse(ImageFormat, "ContainerImageFormat"),
            SourceDateEpoch = Engine.Builders.SourceDateEpoch.Parse(SourceDateEpoch),
        };
    }

    private DockerfileImageRequest CreateDockerfileRequest()
    {
        var contexts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in BuildContexts)
        {
            string value = item.GetMetadata("Value").Trim();
            if (value.Length == 0)
            {
                throw new ContainerizeException(ErrorCodes.InvalidNamedContext,
                    $"The ContainerBuildContexts item '{item.ItemSpec}' has no Value: set Value to a folder or to docker-image://<reference>.");
            }
            contexts[item.ItemSpec.Trim()] = value.StartsWith(DockerfileImageBuilder.ImageContextScheme, StringComparison.OrdinalIgnoreCase) ? value : FromProject(value);
        }
        // The publish output is always there to copy from, unless the project names another folder "publish".
        contexts.TryAdd("publish", FromProject(PublishDirectory));

        var buildArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in BuildArgs)
        {
            string name = item.ItemSpec.Trim();
            string? value = item.MetadataNames.Cast<string>().Contains("Value") ? item.GetMetadata("Value") : Environment.GetEnvironmentVariable(name);
            if (value is not null) buildArgs[name] = value;
        }

        return new DockerfileImageRequest
        {
            DockerfilePath = FromProject(Dockerfile!),
            ContextDirectory = FromProject(string.IsNullOrWhiteSpace(BuildContext) ? "." : BuildContext),
            NamedContexts = contexts,
            BuildArgs = buildArgs,
            Secrets = CreateSecrets(),
            SshAgents = CreateSshAgents(),
            Target = string.IsNullOrWhiteSpace(Target) ? null : Target.Trim(),
            Platform = string.IsNullOrWhiteSpace(Platform) ? Engine.Oci.Platform.Host : Engine.Oci.Platform.Parse(Platform),
            Format = ImageFormatSetting.Parse(ImageFormat, "ContainerImageFormat"),
            SourceDateEpoch = Engine.Builders.SourceDateEpoch.Parse(SourceDateEpoch),
            Cache = new StepCacheOptions
            {
                NoCache = NoCache,
                NoCacheStages = NoCacheFilter.Select(s => s.Trim()).Where(s => s.Length > 0).ToList(),
            },
            Parallelism = Engine.Solver.BuildParallelism.Parse(BuildParallelism, "ContainerBuildParallelism"),
        };
    }

    private ImageOutputs CreateOutputs()
    {
        string repository = string.IsNullOrWhiteSpace(Repository)
            ? ImageNames.RepositoryFromProjectName(ProjectName ?? Path.GetFileName(ProjectDirectory.TrimEnd('/')))
            : Repository.Trim();
        ImageReference? pushTo = null;
        if (!string.IsNullOrWhiteSpace(Registry))
        {
            string registry = Registry.Trim().TrimEnd('/');
            if (registry.Contains("://", StringComparison.Ordinal)) registry = new Uri(registry).Authority;
            pushTo = ImageReference.Parse($"{registry}/{repository}");
            if (pushTo.Registry != registry)
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty,
                    $"ContainerRegistry '{Registry}' is not a registry host: use host[:port], such as myregistry.azurecr.io or 127.0.0.1:5000.");
            }
        }
        var tags = ImageTags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0 && !string.IsNullOrWhiteSpace(ImageTag)) tags.Add(ImageTag.Trim());
        if (tags.Count == 0) tags.Add(string.IsNullOrWhiteSpace(ProjectVersion) ? "latest" : ImageNames.TagFromVersion(ProjectVersion.Trim()));
        foreach (string tag in tags) ImageReference.EnsureValidTag(tag);
        ImageReference.Parse(repository);

        string? archive = string.IsNullOrWhiteSpace(ArchiveOutputPath) ? null : ArchiveOutputPath.Trim();
        if (archive is not null)
        {
            bool isFolder = archive.EndsWith('/') || archive.EndsWith('\\') || Directory.Exists(FromProject(archive));
            archive = FromProject(archive);
            if (isFolder) archive = Path.Combine(archive, repository.Replace('/', '_') + ".tar");
        }
        return new ImageOutputs
        {
            PushTo = pushTo,
            RepositoryName = repository,
            Tags = tags,
            ArchivePath = archive,
            ArchiveFormat = ImageFormatSetting.Parse(ImageFormat, "ContainerImageFormat") == Engine.Oci.ImageFormat.Docker ? ArchiveFormat.DockerArchive : ArchiveFormat.OciLayout,
        };
    }

    private string FromProject(string path) => Path.GetFullPath(Path.Combine(ProjectDirectory, path.Trim()));
}
