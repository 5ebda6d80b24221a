using Containerize.Engine.Context;
using Containerize.Engine.Copy;
using Containerize.Engine.Planning;
using Containerize.TestSupport;
using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Builders;

namespace Containerize.Engine.Tests.Builders;

/// <summary>What the build hashes ahead of its steps: the context files its COPY and ADD steps select, and nothing from stages or images.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class ContextPrehashTests
{
    [TestMethod]
    public async Task TheContextAndNamedFolderSelectionsAreHashedAheadStagesAndImagesAreNot()
    {
        var plan = await PlanAsync("""
            FROM alpine:3.20 AS build
            COPY src/ /src/
            FROM alpine:3.20
            COPY --from=build /src /from-stage
            COPY --from=busybox:1.36 /bin/busybox /busybox
            COPY --from=assets logo.png /logo.png
            ADD --chmod=644 *.txt /notes/
            RUN true
            """, namedContexts: new Dictionary<string, StageBase> { ["assets"] = new NamedContextBase("assets") });
        var filter = IgnorePatterns.Create(["*.log"], ".dockerignore");

        var requests = ContextPrehash.Requests(plan, source => source switch
        {
            null => ("/context", filter),
            NamedContextBase => ("/assets", null),
            _ => null,
        }).ToList();

        CollectionAssert.AreEqual(new[] { "/context src/", "/assets logo.png", "/context *.txt" },
            requests.Select(r => $"{r.SourceRoot} {string.Join(' ', r.Sources)}").ToList());
        Assert.AreSame(filter, requests[0].SourceFilter, ".dockerignore applies, as in the step");
        Assert.AreEqual("644", requests[2].Chmod);
        Assert.IsTrue(requests[2].IsAdd);
    }

    [TestMethod]
    public async Task EverySelectedFileIsHashedOnceAheadAndTheStepsChecksumIsUnchanged()
    {
        using var context = new TempDirectory("ctz-prehash");
        Directory.CreateDirectory(context.Combine("src"));
        for (int i = 0; i < 20; i++) File.WriteAllText(context.Combine($"src/f{i}.cs"), $"class C{i} {{}}");
        File.WriteAllText(context.Combine("unselected.bin"), "not copied");
        var plan = await PlanAsync("FROM alpine:3.20\nCOPY src/ /src/\nCOPY src/f1.cs /again.cs\n");
        var hasher = new ContentHasher();

        await using (var prehash = ContextPrehash.Start(plan, source => source is null ? (context.Path, null) : null, hasher, CancellationToken.None))
        {
            await prehash.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.AreEqual(20, hasher.Count, "the 20 selected files, f1.cs once though two steps select it; not the unselected file");
        foreach (var request in ContextPrehash.Requests(plan, _ => (context.Path, null)))
        {
            Assert.AreEqual(CopySourceChecksum.Compute(request, new ContentHasher(), CancellationToken.None), CopySourceChecksum.Compute(request, hasher, CancellationToken.None));
        }
        Assert.AreEqual(20, hasher.Count, "the steps found every file hashed");
    }
}
