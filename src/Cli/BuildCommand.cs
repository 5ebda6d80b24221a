using Containerize.Engine.Builders;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Solver;
using Containerize.Engine.Steps;

namespace Containerize.Cli;

/// <summary><c>containerize build</c>: a Dockerfile build outside MSBuild, the same engine path as BuildImage with a Dockerfile (like <c>docker build</c>).</summary>
internal static class BuildCommand
{
    public const string Usage = """
        containerize build [options] CONTEXT
          -f, --file PATH        the Dockerfile (default: CONTEXT/Dockerfile)
          --build-arg NAME[=VALUE]  build argument (repeat; without a value, the environment variable NAME)
          --build-context NAME=DIR|docker-image://REF   named context (repeat)
          --secret id=ID[,src=PATH|,env=VAR]  secret for RUN --mount=type=secret (repeat; with neither, the variable or else the file ID)
          --ssh ID[=SOCKET]      SSH agent for RUN --mount=type=ssh (repeat; ID alone: $SSH_AUTH_SOCK)
          --target STAGE         the stage to build (default: the last)
          --push REGISTRY/REPO   push to this repository
          --tag TAG              tag (repeat; default: latest)
          --archive PATH         write an archive (OCI layout tar; Docker archive with --format docker)
          --format oci|docker    manifest format (default: the base image's)
          --platform OS/ARCH     target platform
          --parallelism N        stages built at once (default: one per core)
          --network default|host|none  network of RUN steps without --network (default: default, a network namespace of their own with outbound access; host also grants network.host)
          --allow network.host   let RUN --network=host use this machine's network (repeat, or A,B)
          --store DIR            image store folder
          --no-cache             run every step instead of taking it from the step cache
          --no-cache-filter STAGE  run every step of this stage (repeat, or STAGE,STAGE)
          --cache-max-size SIZE  step cache limit, pruned after the build (default 10GB)
          --insecure HOST:PORT   registry allowed over plain HTTP (loopback always is)
          --network-idle-timeout SECONDS  give up on a transfer that receives nothing this long (default 60)
          -v, --verbose          detailed progress
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[^1].StartsWith('-'))
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty, "containerize build needs the build context folder as its last argument, e.g. containerize build --push 127.0.0.1:5000/app .");
        }
        var options = CommandLineOptions.Parse(args.Take(args.Count - 1).Select(a => a == "-f" ? "--file" : a).ToList());
        string context = Path.GetFullPath(args[^1]);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.GetFullPath(options.Single("--file") ?? Path.Combine(context, "Dockerfile")),
            ContextDirectory = context,
            BuildArgs = BuildArgSetting.Parse(options.Many("--build-arg").Select(BuildArgSetting.Split), "--build-arg"),
            NamedContexts = NamedContextSetting.ParseAll(options.Pairs("--build-context"), Environment.CurrentDirectory, "--build-context"),
            Secrets = SecretSetting.ById(options.Many("--secret").Select(s => SecretSetting.ParseCommandLine(s, Environment.CurrentDirectory, "--secret"))),
            SshAgents = SshAgentSetting.ParseCommandLine(options.Many("--ssh"), Environment.CurrentDirectory, "--ssh"),
            Target = options.Single("--target"),
            Platform = options.Platform(),
            Format = options.Format(),
            SourceDateEpoch = SourceDateEpoch.FromEnvironment(),
            Cache = StepCacheSetting.Parse(options.Flag("--no-cache"), options.Many("--no-cache-filter")),
            Parallelism = BuildParallelism.Parse(options.Single("--parallelism"), "--parallelism"),
        };
        var settings = options.Settings() with
        {
            RunNetwork = RunNetworkSetting.Parse(options.Single("--network"), "--network"),
            Entitlements = BuildEntitlements.Parse(options.Many("--allow"), "--allow"),
        };
        var result = await DockerfileImageBuilder.BuildAsync(request, options.Outputs(), settings, cancellationToken);
        return CommonOptions.Print(result);
    }
}
