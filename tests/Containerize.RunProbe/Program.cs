using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;

// ctz-run-probe <upper> <work> <user> <lower1:lower2:...> <command...>
// Prints the command's output, then "exit=N"; a setup error prints "error CTZxxxx: message" and exits 2.
// CTZ_PROBE_ROOT_DIRECTORY=1: the one "lower" is the copy fallback's root, changed in place (upper and work unused).
// CTZ_PROBE_BIND=<host source>:<target>: a read-only bind mount.
// CTZ_PROBE_NETWORK=host|none: the step's network (default: its own, through the user-mode stack).
// ctz-run-probe build <dockerfile> <context> <store> <oci-archive>
// Builds the Dockerfile with DockerfileImageBuilder (as whoever runs the probe), prints the build log
// ("info: ...", "warning CTZxxxx: ..."), then "built=<manifest digest>"; an error prints "error CTZxxxx: message" and exits 2.
if (args.Length == 5 && args[0] == "build")
{
    return await BuildProbe.RunAsync(args[1], args[2], args[3], args[4]);
}
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: ctz-run-probe <upper> <work> <user> <lowers, colon-separated, lowest first> <command...>");
    return 2;
}
var spec = new ContainerSpec
{
    UpperDirectory = args[0],
    OverlayWorkDirectory = args[1],
    User = args[2],
    LowerDirectoriesBottomFirst = args[3].Split(':'),
    Command = args[4..],
    Environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
    Network = Environment.GetEnvironmentVariable("CTZ_PROBE_NETWORK") switch { "host" => ContainerNetwork.Host, "none" => ContainerNetwork.None, _ => ContainerNetwork.Default },
};
if (Environment.GetEnvironmentVariable("CTZ_PROBE_ROOT_DIRECTORY") == "1")
{
    spec = spec with { RootDirectory = spec.LowerDirectoriesBottomFirst.Single(), LowerDirectoriesBottomFirst = [] };
}
if (Environment.GetEnvironmentVariable("CTZ_PROBE_BIND") is { Length: > 0 } bind)
{
    spec = spec with { Mounts = [ContainerMount.Bind(bind[..bind.IndexOf(':')], bind[(bind.IndexOf(':') + 1)..])] };
}
try
{
    UserNamespaceMapping? mapping = null;
    if (Environment.GetEnvironmentVariable("CTZ_PROBE_SINGLE_ID") == "1")
    {
        var detected = UserNamespaceMapping.Detect();
        mapping = new UserNamespaceMapping(UserNamespaceKind.SingleId, detected.HostUid, detected.HostGid) { Warning = "RUN steps run with a single mapped id (forced by CTZ_PROBE_SINGLE_ID)" };
    }
    var runner = new ContainerRunner(idMapping: mapping, onWarning: w => Console.WriteLine("warning: " + w));
    if (int.TryParse(Environment.GetEnvironmentVariable("CTZ_PROBE_REPEAT"), out int repeat) && repeat > 0)
    {
        // Timing: the median wall time of one run through the launcher (fresh upper and work each time).
        var times = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            foreach (string d in new[] { spec.UpperDirectory, spec.OverlayWorkDirectory }) { Directory.Delete(d, true); Directory.CreateDirectory(d); }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await runner.RunAsync(spec, _ => { }, CancellationToken.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"runs={repeat} median={times[repeat / 2]:F1}ms min={times[0]:F1}ms max={times[^1]:F1}ms");
    }
    int code = await runner.RunAsync(spec, Console.WriteLine, CancellationToken.None);
    Console.WriteLine($"exit={code}");
    return 0;
}
catch (ContainerizeException e)
{
    Console.WriteLine($"error {e.Code}: {e.Message}");
    return 2;
}
