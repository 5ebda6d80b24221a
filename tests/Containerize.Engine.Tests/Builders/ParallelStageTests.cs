using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// Stages of one Dockerfile built at the same time, in real namespaces on a busybox base from a real
/// registry. Stages meet in a shared cache mount: each leaves a mark and waits (bounded) for the
/// other's, which only works when they really run at once.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class ParallelStageTests : DockerfileBuildTest
{

    public ParallelStageTests()
        : base("ctz-parallel") { }

    [TestMethod]
    public async Task IndependentStagesRunAtTheSameTime()
    {
        var result = await BuildAsync(TwoMeetingStages(waitTenths: 300), parallelism: 2);

        var layers = result.Image.Layers;
        Assert.AreEqual("met\n", Content(layers[^3], "a"), "stage a saw b's mark while it ran");
        Assert.AreEqual("met\n", Content(layers[^2], "b"), "stage b saw a's mark while it ran");
        var log = Content(layers[^1], "log").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEquivalent(new[] { "start a", "start b" }, log[..2], "both started before either ended: " + string.Join(", ", log));
    }

    [TestMethod]
    public async Task WithParallelismOneStagesRunOneAfterAnotherInPlanOrder()
    {
        var result = await BuildAsync(TwoMeetingStages(waitTenths: 20), parallelism: 1);

        var layers = result.Image.Layers;
        Assert.AreEqual("alone\n", Content(layers[^3], "a"), "stage a ran before b started");
        Assert.AreEqual("met\n", Content(layers[^2], "b"), "stage b found the mark a left behind");
        Assert.AreEqual("start a\nend a\nstart b\nend b\n", Content(layers[^1], "log"));
    }

    [TestMethod]
    public async Task AStageRunsItsFirstStepsWhileAStageItReadsLaterIsStillBuilding()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image} AS dependency
            {Meet("dependency", "main", 300)}
            FROM {SharedBusybox.Image}
            {Meet("main", "dependency", 300)}
            COPY --from=dependency /dependency /dependency
            """, parallelism: 2);

        Assert.AreEqual("met\n", Content(result.Image.Layers[^2], "main"), "main's first RUN ran while its dependency was building");
        Assert.AreEqual("met\n", Content(result.Image.Layers[^1], "dependency"));
    }

    [TestMethod]
    public async Task AStageReadByTwoOthersIsBuiltOnce()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image} AS common
            RUN --mount=type=cache,id=count,target=/count echo ran >> /count/runs && echo artifact > /artifact
            FROM {SharedBusybox.Image} AS left
            COPY --from=common /artifact /left
            FROM common AS right
            RUN cp /artifact /right
            FROM {SharedBusybox.Image}
            COPY --from=left /left /left
            COPY --from=right /right /right
            RUN --mount=type=cache,id=count,target=/count wc -l < /count/runs > /runs
            """, parallelism: 4);

        Assert.AreEqual("1", Content(result.Image.Layers[^1], "runs").Trim());
        Assert.AreEqual("artifact\n", Content(result.Image.Layers[^2], "right"));
        Assert.AreEqual("artifact\n", Content(result.Image.Layers[^3], "left"));
    }

    [TestMethod]
    public async Task AnUnusedStageIsNeverBuilt()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image} AS broken
            RUN echo this stage must not run; exit 1
            FROM 127.0.0.1:1/no/such/image AS unreachable
            FROM {SharedBusybox.Image}
            RUN echo ok > /ok
            """, parallelism: 2);

        Assert.AreEqual("ok\n", Content(result.Image.Layers[^1], "ok"));
    }

    [TestMethod]
    public async Task AFailingStageStopsARunningSiblingAndReportsItsOwnError()
    {
        string token = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image} AS slow
            ENV SIBLING_TOKEN={token}
            RUN --mount=type=cache,id=sync,target=/sync,sharing=shared cat /proc/self/mountinfo > /sync/slow-mounts && touch /sync/slow && sleep 300 && echo slept
            FROM {SharedBusybox.Image} AS failing
            RUN --mount=type=cache,id=sync,target=/sync,sharing=shared i=0; while [ ! -e /sync/slow ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; echo failing on purpose >&2; exit 7
            FROM {SharedBusybox.Image}
            COPY --from=slow /etc/passwd /slow
            COPY --from=failing /etc/passwd /failing
            """, parallelism: 2));

        Assert.AreEqual(ErrorCodes.RunStepFailed, e.Code, e.ToString());
        Assert.AreEqual(5, e.Location!.Line, "the failing stage's RUN, not the cancelled sibling");
        StringAssert.Contains(e.Message, "exit code 7");
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(120), $"the sibling's sleep 300 was stopped, not waited for ({clock.Elapsed})");
        Assert.IsTrue(File.Exists(Path.Combine(CacheMount("sync"), "slow")), "the sibling was running when the failure came");
        Assert.AreEqual(0, ProcessesWithEnvironment("SIBLING_TOKEN=" + token).Count, "no process of the sibling's RUN is left");
        string upper = UpperDirectoryOf(File.ReadAllText(Path.Combine(CacheMount("sync"), "slow-mounts")));
        Assert.IsFalse(Directory.Exists(upper), $"the sibling's scratch directory {upper} is removed");
    }

    [TestMethod]
    public async Task ABadParallelismIsAClearError()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"FROM {SharedBusybox.Image}\n", parallelism: 0));

        Assert.AreEqual(ErrorCodes.InvalidBuildParallelism, e.Code);
        StringAssert.Contains(e.Message, "ContainerBuildParallelism");
    }

    /// <summary>Two stages that meet (see <see cref="Meet"/>), and a final stage that keeps what they saw and the shared log.</summary>
    private static string TwoMeetingStages(int waitTenths) => $"""
        FROM {SharedBusybox.Image} AS a
        {Meet("a", "b", waitTenths)}
        FROM {SharedBusybox.Image} AS b
        {Meet("b", "a", waitTenths)}
        FROM {SharedBusybox.Image}
        COPY --from=a /a /a
        COPY --from=b /b /b
        RUN --mount=type=cache,id=sync,target=/sync cp /sync/log /log
        """;

    /// <summary>
    /// A RUN that logs its start in the shared cache, leaves its mark, waits up to <paramref name="waitTenths"/>
    /// tenths of a second for the other's mark, writes <c>/&lt;me&gt;</c> (met or alone) and logs its end.
    /// </summary>
    private static string Meet(string me, string other, int waitTenths) =>
        $"RUN --mount=type=cache,id=sync,target=/sync,sharing=shared echo start {me} >> /sync/log && touch /sync/{me} && i=0; "
        + $"while [ ! -e /sync/{other} ] && [ $i -lt {waitTenths} ]; do sleep 0.1; i=$((i+1)); done; "
        + $"if [ -e /sync/{other} ]; then echo met; else echo alone; fi > /{me} && echo end {me} >> /sync/log";

    private string CacheMount(string id) =>
        Path.Combine(Store.Root, "cache-mounts", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id))).ToLowerInvariant());

    private static string UpperDirectoryOf(string mountInfo)
    {
        int start = mountInfo.IndexOf("upperdir=", StringComparison.Ordinal);
        Assert.IsTrue(start >= 0, "the RUN's root is an overlay: " + mountInfo);
        start += "upperdir=".Length;
        int end = mountInfo.IndexOfAny([',', ' ', '\n'], start);
        return mountInfo[start..end];
    }

    private static List<int> ProcessesWithEnvironment(string entry)
    {
        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(entry)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone meanwhile, or not ours to read
        }
        return found;
    }

    private Task<BuildResult> BuildAsync(string dockerfile, int parallelism)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            Parallelism = parallelism,
        };
        var outputs = new ImageOutputs { RepositoryName = "test/parallel", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
    }

}
