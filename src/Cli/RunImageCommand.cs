using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Run;

namespace Containerize.Cli;

/// <summary><c>containerize run</c>: runs an image from a registry once, through the RUN helper, like <c>docker run --rm</c>.</summary>
internal static class RunImageCommand
{
    public const string Usage = """
        containerize run [options] REF [COMMAND [ARG...]]
          --env NAME=VALUE       environment variable (repeat)
          --network default|host|none  network (default: default, a network namespace of its own with outbound access; none: loopback only)
          --platform OS/ARCH     platform to pick from a multi-platform image
          --store DIR            image store folder
          --insecure HOST:PORT   registry allowed over plain HTTP (loopback always is)
          --network-idle-timeout SECONDS  give up on a transfer that receives nothing this long (default 60)
          -v, --verbose          detailed progress
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        int reference = 0;
        while (reference < args.Count && args[reference].StartsWith('-'))
        {
            reference += args[reference] is "-v" or "--verbose" ? 1 : 2;
        }
        if (reference >= args.Count)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty, "containerize run needs an image reference, e.g. containerize run 127.0.0.1:5000/app:1.0.");
        }
        var options = CommandLineOptions.Parse(args.Take(reference).ToList());
        var request = new RunImageRequest
        {
            Image = ImageReference.Parse(args[reference]),
            Command = args.Count > reference + 1 ? args.Skip(reference + 1).ToList() : null,
            Environment = options.Pairs("--env").Select(p => $"{p.Key}={p.Value}").ToList(),
            Platform = options.Platform(),
            Network = RunNetworkSetting.Parse(options.Single("--network"), "--network"),
        };
        return await ImageRunner.RunAsync(request, options.Settings(), Console.WriteLine, cancellationToken);
    }
}
