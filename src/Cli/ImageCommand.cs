using Containerize.Engine.Builders;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;

namespace Containerize.Cli;

/// <summary>
/// <c>containerize image</c>: a folder as a layer on a base image, the same engine path as the
/// BuildImage target without a Dockerfile. Used to make base images from a root filesystem.
/// </summary>
internal static class ImageCommand
{
    public const string Usage = """
        containerize image --content DIR [options]
          --base REF|scratch     base image (default: scratch)
          --content DIR          folder that becomes the new layer
          --workdir PATH         where the folder lands and the container starts (default: /app)
          --entrypoint ARG       entrypoint word (repeat for each word)
          --cmd ARG              default command word (repeat)
          --env NAME=VALUE       environment variable (repeat)
          --label KEY=VALUE      label (repeat)
          --port N[/udp]         exposed port (repeat)
          --user USER            user the container runs as
          --keep-owners          keep file owners from disk (for a root filesystem) instead of root
          --push REGISTRY/REPO   push to this repository
          --tag TAG              tag (repeat; default: latest)
          --archive PATH         write an archive (OCI layout tar; Docker archive with --format docker)
          --format oci|docker    manifest format (default: the base image's)
          --platform OS/ARCH     platform to pick from a multi-platform base
          --store DIR            image store folder
          --insecure HOST:PORT   registry allowed over plain HTTP (loopback always is)
          --network-idle-timeout SECONDS  give up on a transfer that receives nothing this long (default 60)
          -v, --verbose          detailed progress
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = CommandLineOptions.Parse(args);
        var request = new GeneratedImageRequest
        {
            BaseImage = options.Single("--base") ?? "scratch",
            PublishDirectory = Path.GetFullPath(options.Single("--content")
                ?? throw new ContainerizeException(ErrorCodes.InvalidProperty, "--content DIR is required.")),
            WorkingDirectory = options.Single("--workdir") ?? "/app",
            Entrypoint = options.Many("--entrypoint") is { Count: > 0 } entrypoint ? entrypoint : null,
            Cmd = options.Many("--cmd") is { Count: > 0 } cmd ? cmd : null,
            EnvironmentVariables = options.Pairs("--env"),
            Labels = options.Pairs("--label"),
            Ports = options.Many("--port"),
            User = options.Single("--user"),
            KeepFileOwners = options.Flag("--keep-owners"),
            Platform = options.Platform(),
            Format = options.Format(),
            SourceDateEpoch = SourceDateEpoch.FromEnvironment(),
        };
        var result = await GeneratedImageBuilder.BuildAsync(request, options.Outputs(), options.Settings(), cancellationToken);
        return CommonOptions.Print(result);
    }
}
