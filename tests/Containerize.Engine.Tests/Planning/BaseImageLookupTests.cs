using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using static Containerize.Engine.Tests.Planning.Planner;

namespace Containerize.Engine.Tests.Planning;

/// <summary>
/// The base images a build needs are looked up at the same time, as BuildKit resolves the reachable
/// stages' bases, not one after another; images of stages the target does not need are not looked up.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class BaseImageLookupTests
{
    private const string ThreeBases = """
        FROM golang:1.23 AS build
        RUN go build -o /out/app
        FROM node:22 AS docs
        RUN npm run docs
        FROM alpine:3.20 AS unused
        FROM debian:bookworm AS final
        COPY --from=build /out/app /app
        COPY --from=docs /site /site
        COPY --from=nginx:1.27 /etc/nginx/nginx.conf /nginx.conf
        """;

    [TestMethod]
    public async Task TheImagesOfTheStagesTheTargetReachesAreLookedUpAtOnce()
    {
        // Each lookup completes only once all four have been asked for: one at a time would never finish.
        var resolver = new GatedResolver(expected: 4);
        var plan = await PlanWithAsync(ThreeBases, resolver).WaitAsync(TimeSpan.FromSeconds(20));

        CollectionAssert.AreEquivalent(
            new[] { "docker.io/library/golang:1.23", "docker.io/library/node:22", "docker.io/library/debian:bookworm", "docker.io/library/nginx:1.27" },
            resolver.Asked.ToList());
        Assert.AreEqual(3, plan.Stages.Count, "build, docs and final; not the unused stage");
    }

    [TestMethod]
    public async Task AStageTheTargetDoesNotReachIsNeverLookedUp()
    {
        var resolver = new FakeBaseImageResolver();
        await PlanAsync(ThreeBases, resolver, target: "docs");
        CollectionAssert.AreEqual(new[] { "docker.io/library/node:22" }, resolver.Requests.Select(r => r.Reference).ToList());
    }

    [TestMethod]
    public async Task AFromOrCopyFromThatNeedsAStageVariableIsStillResolvedByThePlanner()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("""
            ARG BASE=alpine:3.20
            FROM $BASE AS tools
            FROM busybox:1.36
            ARG FROM_STAGE=tools
            COPY --from=$FROM_STAGE /bin/sh /sh
            """, resolver);
        CollectionAssert.AreEquivalent(new[] { "docker.io/library/alpine:3.20", "docker.io/library/busybox:1.36" }, resolver.Requests.Select(r => r.Reference).ToList());
        Assert.AreEqual(2, plan.Stages.Count);
    }

    private static Task<BuildPlan> PlanWithAsync(string dockerfile, IBaseImageResolver resolver)
    {
        var request = new PlanRequest(Engine.Dockerfile.DockerfileLoader.Load(dockerfile, DockerfileName), DockerfileName, new Dictionary<string, string>(), null, Amd64, Amd64);
        return BuildPlanner.PlanAsync(request, resolver, new RecordingBuildLog(), CancellationToken.None);
    }

    private sealed class GatedResolver(int expected) : IBaseImageResolver
    {
        private readonly TaskCompletionSource _allAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ImageConfig?>> _lookups = new();
        public System.Collections.Concurrent.ConcurrentQueue<string> Asked { get; } = new();

        /// <summary>Like a build's resolver, each image is looked up once.</summary>
        public Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct) =>
            _lookups.GetOrAdd(reference, _ => LookUpAsync(reference, ct));

        private async Task<ImageConfig?> LookUpAsync(string reference, CancellationToken ct)
        {
            Asked.Enqueue(reference);
            if (Asked.Count >= expected) _allAsked.TrySetResult();
            await _allAsked.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return null;
        }
    }
}
