using System.Collections.Concurrent;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.Engine.Registry;
using Containerize.Engine.Solver;

namespace Containerize.Engine.Tests.Builders;

/// <summary>The scheduler on its own: slots, waits between stages, failures. Stages here are delegates, not Dockerfile stages.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class StageSchedulerTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task WithOneSlotAStageWaitingForAnotherGivesItsSlotBack()
    {
        // Stage 0 comes first and takes the only slot, then needs stage 1: it must let stage 1 run.
        var stages = new[] { Stage(0), Stage(1) };
        var scheduler = new StageScheduler(stages, parallelism: 1);
        var order = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        var target = await scheduler.RunAsync(0, async (stage, _, ct) =>
        {
            order.Enqueue($"start {stage.Index}");
            if (stage.Index == 0) await scheduler.StageAsync(1, ct);
            order.Enqueue($"end {stage.Index}");
            return Built(stage.Index);
        }, stop).WaitAsync(Hang);

        Assert.AreEqual(0, target.Index);
        CollectionAssert.AreEqual(new[] { "start 0", "start 1", "end 1", "end 0" }, order.ToArray());
    }

    [TestMethod]
    public async Task NoMoreStagesWorkAtOnceThanTheBoundAllows()
    {
        var stages = Enumerable.Range(0, 6).Select(Stage).ToArray();
        var scheduler = new StageScheduler(stages, parallelism: 2);
        int working = 0, most = 0;
        using var stop = new CancellationTokenSource();

        await scheduler.RunAsync(5, async (stage, _, ct) =>
        {
            int now = Interlocked.Increment(ref working);
            InterlockedMax(ref most, now);
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref working);
            // The last stage reads all others: while it waits, they fill its slot.
            if (stage.Index == 5) foreach (int i in Enumerable.Range(0, 5)) await scheduler.StageAsync(i, ct);
            return Built(stage.Index);
        }, stop).WaitAsync(Hang);

        Assert.AreEqual(2, most);
    }

    [TestMethod]
    public async Task TheFirstFailureStopsTheOtherStagesAndIsWhatTheBuildReports()
    {
        var stages = new[] { Stage(0), Stage(1), Stage(2) };
        var scheduler = new StageScheduler(stages, parallelism: 3);
        var sleeperStopped = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        var e = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => scheduler.RunAsync(2, async (stage, _, ct) =>
        {
            switch (stage.Index)
            {
                case 0:
                    try { await Task.Delay(Timeout.Infinite, ct); }
                    finally { sleeperStopped.TrySetResult(); }
                    break;
                case 1:
                    await Task.Delay(100, ct);
                    throw new InvalidOperationException("stage 1 broke");
                default:
                    await scheduler.StageAsync(0, ct);
                    break;
            }
            return Built(stage.Index);
        }, stop).WaitAsync(Hang));

        Assert.AreEqual("stage 1 broke", e.Message);
        Assert.IsTrue(sleeperStopped.Task.IsCompleted, "the sleeping stage was stopped before the build returned");
    }

    [TestMethod]
    public async Task ACancelledBuildEndsInACancellation()
    {
        var scheduler = new StageScheduler([Stage(0)], parallelism: 1);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<OperationCanceledException>(() => scheduler.RunAsync(0, async (stage, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Built(stage.Index);
        }, stop).WaitAsync(Hang));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    private static PlannedStage Stage(int index) =>
        new(index, null, ScratchBase.Instance, Platform.Host, [], new HashSet<int>());

    private static BuiltStage Built(int index) =>
        new(index, BaseImage.Scratch, new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [] } }, [], []);
}
