using Containerize.Engine.Builders;
using Containerize.Engine.Caching;

namespace Containerize.Cli;

/// <summary>
/// <c>containerize prune</c>: removes what killed builds of this user left (scratch folders, partial
/// files in the store), then shrinks the step cache to a size, least recently used entries first
/// (like <c>docker builder prune --keep-storage</c>).
/// </summary>
internal static class PruneCommand
{
    public const string Usage = """
        containerize prune [options]
          --max-size SIZE        keep at most this much (e.g. 500MB; default 0: empty the step cache)
          --store DIR            image store folder
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = CommandLineOptions.Parse(args);
        long limit = options.Single("--max-size") is { } size ? ByteSize.Parse(size, "--max-size") : 0;
        var store = options.Store(new ConsoleBuildLog(verbose: false));
        Console.WriteLine(KilledBuildLitter.Describe(store.ReclaimedOnOpen + KilledBuildLitter.Reclaim(store)));
        var result = await StepCachePruner.PruneAsync(new StepCache(store), limit,
            () => Console.Error.WriteLine("Waiting for the builds using the store to finish…"), cancellationToken);
        Console.WriteLine(StepCacheReport.Describe(result, limit, store.Root));
        return 0;
    }
}
