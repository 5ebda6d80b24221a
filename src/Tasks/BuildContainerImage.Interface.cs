using Microsoft.Build.Framework;

namespace Containerize.Tasks;

/// <summary>
/// The MSBuild face of the image build: parameters in, digest and references out. The targets give
/// every parameter but <see cref="ProjectDirectory"/> and <see cref="MarkerFile"/> through
/// <see cref="Parameters"/>, the list whose hash decides whether the image is rebuilt.
/// </summary>
public sealed partial class BuildContainerImage
{
    /// <summary>The folder relative paths are resolved against (never the process's current directory).</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>Makes the default repository name when ContainerRepository is empty.</summary>
    public string? ProjectName { get; set; }

    /// <summary>Makes the default tag when no tag is set.</summary>
    public string? ProjectVersion { get; set; }

    /// <summary>
    /// The parameters below as one item list (<see cref="TaskParameterList"/>): an item named by the
    /// parameter with metadata <c>Value</c>, or for an item parameter its items with metadata
    /// <c>ContainerizeParameter</c> naming it. Set before the task runs, over what is set directly.
    /// </summary>
    public ITaskItem[] Parameters { get; set; } = [];

    /// <summary>The publish output, which becomes the application layer.</summary>
    public string PublishDirectory { get; set; } = "";

    /// <summary>A registry reference, or <c>scratch</c>.</summary>
    public string BaseImage { get; set; } = "";

    /// <summary><c>os/arch[/variant]</c> to pick from a multi-platform base; empty = the host's.</summary>
    public string? Platform { get; set; }

    public string WorkingDirectory { get; set; } = "/app";

    /// <summary>The entrypoint's command and its fixed arguments (ContainerAppCommand, ContainerAppCommandArgs).</summary>
    public ITaskItem[] AppCommand { get; set; } = [];

    public ITaskItem[] AppCommandArgs { get; set; } = [];

    /// <summary>Arguments a <c>docker run</c> may replace (ContainerDefaultArgs): the image's Cmd.</summary>
    public ITaskItem[] DefaultArgs { get; set; } = [];

    public string? User { get; set; }

    /// <summary>Items named by the variable, with metadata <c>Value</c>.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>Items named by the label key, with metadata <c>Value</c>.</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>Items named by the port number, with optional metadata <c>Type</c> (tcp, udp).</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>The registry to push to (host[:port]); empty = do not push.</summary>
    public string? Registry { get; set; }

    /// <summary>The repository name; empty = made from the project name.</summary>
    public string? Repository { get; set; }

    /// <summary>One tag (ContainerImageTag); ignored when <see cref="ImageTags"/> is set, as in the .NET SDK.</summary>
    public string? ImageTag { get; set; }

    /// <summary>Several tags (ContainerImageTags, separated by ';').</summary>
    public string[] ImageTags { get; set; } = [];

    public string? ArchiveOutputPath { get; set; }

    /// <summary>Docker or OCI; empty = follow the base image.</summary>
    public string? ImageFormat { get; set; }

    public string? StorePath { get; set; }

    /// <summary>Registries (host[:port]) allowed over plain HTTP, besides loopback.</summary>
    public string[] InsecureRegistries { get; set; } = [];

    /// <summary>ContainerNetworkIdleTimeout: seconds a transfer may receive nothing; empty = CONTAINERIZE_NETWORK_IDLE_TIMEOUT, else 60.</summary>
    public string? NetworkIdleTimeout { get; set; }

    /// <summary>Seconds since the Unix epoch (SOURCE_DATE_EPOCH) for reproducible images.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>The Dockerfile to build (ContainerDockerfile); empty builds the image from the properties above.</summary>
    public string? Dockerfile { get; set; }

    /// <summary>The build context of the Dockerfile (ContainerBuildContext); empty = the project folder.</summary>
    public string? BuildContext { get; set; }

    /// <summary>ContainerBuildArg items: named by the argument, with metadata <c>Value</c> (without it, the environment variable of that name, as <c>docker build --build-arg NAME</c>).</summary>
    public ITaskItem[] BuildArgs { get; set; } = [];

    /// <summary>ContainerBuildContexts items: named by the context, with metadata <c>Value</c>: a folder or <c>docker-image://reference</c>.</summary>
    public ITaskItem[] BuildContexts { get; set; } = [];

    /// <summary>
    /// ContainerSecret items: named by the secret id, with metadata <c>File</c> (a path) or
    /// <c>Environment</c> (a variable name), as <c>docker build --secret id=…,src=…|env=…</c>.
    /// </summary>
    public ITaskItem[] Secrets { get; set; } = [];

    /// <summary>ContainerSsh items: named by the ssh id, with metadata <c>Socket</c> (an agent's socket; default <c>$SSH_AUTH_SOCK</c>).</summary>
    public ITaskItem[] SshAgents { get; set; } = [];

    /// <summary>The stage to build (ContainerTarget); empty = the last stage.</summary>
    public string? Target { get; set; }

    /// <summary>ContainerNoCache: true runs every step instead of taking it from the step cache.</summary>
    public bool NoCache { get; set; }

    /// <summary>ContainerNoCacheFilter: the stages whose steps all run (separated by ';').</summary>
    public string[] NoCacheFilter { get; set; } = [];

    /// <summary>ContainerCacheMaxSize: the step cache's size limit, e.g. 500MB or 10GB.</summary>
    public string? CacheMaxSize { get; set; }

    /// <summary>
    /// Removed when the build starts and written when it succeeds (digest, references, archive):
    /// the BuildImage target's output, which lets an unchanged project skip the build.
    /// </summary>
    public string? MarkerFile { get; set; }

    /// <summary>How many stages of the Dockerfile build at once (ContainerBuildParallelism); empty = one per core.</summary>
    public string? BuildParallelism { get; set; }

    /// <summary>ContainerRunNetwork: the network of RUN steps without --network (default, host or none); empty = default.</summary>
    public string? RunNetwork { get; set; }

    /// <summary>ContainerAllow: the entitlements granted to the Dockerfile (separated by ';'), such as network.host.</summary>
    public string[] Allow { get; set; } = [];

    [Output] public string ManifestDigest { get; private set; } = "";

    [Output] public ITaskItem[] PushedReferences { get; private set; } = [];

    [Output] public string? ArchivePath { get; private set; }
}
