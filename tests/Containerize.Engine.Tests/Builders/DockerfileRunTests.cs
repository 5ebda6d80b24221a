using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Tests.Builders;

/// <summary>RUN steps of Dockerfiles on a busybox base from a real registry, in real namespaces; layers judged by GNU tar.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class DockerfileRunTests : DockerfileBuildTest
{

    public DockerfileRunTests()
        : base("ctz-run-build") { }

    [TestMethod]
    public async Task RunChangesBecomeALayerWithWhiteoutsAndLaterStepsSeeThem()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN echo hello > /created && rm /etc/group && mkdir -p /data && echo x > /data/x
            RUN cat /created > /data/copy && rm -r /data/x
            """);

        var layers = result.Image.Layers;
        var first = Entries(layers[^2]);
        CollectionAssert.IsSubsetOf(new[] { "created", "etc/", "etc/.wh.group", "data/", "data/x" }, first.Keys.ToList());
        Assert.IsFalse(first.ContainsKey("proc/") || first.ContainsKey("dev/") || first.ContainsKey("etc/resolv.conf"), "no helper mount point in the layer: " + string.Join(", ", first.Keys));
        Assert.AreEqual("hello\n", Content(layers[^2], "created"));
        var second = Entries(layers[^1]);
        Assert.AreEqual("hello\n", Content(layers[^1], "data/copy"));
        Assert.IsTrue(second.ContainsKey("data/.wh.x"), string.Join(", ", second.Keys));
        var history = result.Image.Config.History!.TakeLast(2).ToList();
        Assert.AreEqual("RUN /bin/sh -c echo hello > /created && rm /etc/group && mkdir -p /data && echo x > /data/x", history[0].CreatedBy);
        Assert.IsFalse(history[0].EmptyLayer);
    }

    [TestMethod]
    public async Task RunSeesArgEnvWorkdirShellAndUser()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            ARG VERSION=1.0
            ENV MODE=release
            WORKDIR /work
            SHELL ["/bin/sh", "-ec"]
            RUN echo "$VERSION $MODE $(pwd) $-" > env.txt
            USER app
            RUN id -u > /tmp/uid
            """);

        var layers = result.Image.Layers;
        string[] seen = Content(layers[^2], "work/env.txt").Split(' ');
        CollectionAssert.AreEqual(new[] { "1.0", "release", "/work" }, seen[..3]);
        StringAssert.Contains(seen[3], "e", "SHELL [\"/bin/sh\", \"-ec\"] sets errexit");
        Assert.AreEqual("1654\n", Content(layers[^1], "tmp/uid"));
        Assert.AreEqual("1654/1654", Entries(layers[^1])["tmp/uid"].Owner, "files a USER creates are theirs");
        Assert.AreEqual("RUN |1 VERSION=1.0 /bin/sh -ec echo \"$VERSION $MODE $(pwd) $-\" > env.txt", result.Image.Config.History![^3].CreatedBy);
        Assert.IsFalse(result.Image.Config.Config!.Env!.Any(e => e.StartsWith("VERSION=", StringComparison.Ordinal)), "ARG values are not kept in the image");
    }

    [TestMethod]
    public async Task AFailingRunStopsTheBuildAtItsLineWithItsExitCodeAndOutput()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}

            RUN echo first line; echo boom >&2; exit 3
            """));

        Assert.AreEqual(ErrorCodes.RunStepFailed, e.Code);
        Assert.AreEqual(3, e.Location!.Line);
        StringAssert.Contains(e.Message, "exit code 3");
        StringAssert.Contains(e.Message, "boom");
    }

    [TestMethod]
    public async Task HeredocScriptsRunThroughTheShellOrTheirShebang()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN <<EOF
            echo one > /one
            echo two > /two
            EOF
            RUN <<EOF
            #!/bin/sh -e
            echo "script $0" > /script
            EOF
            """);

        Assert.AreEqual("one\n", Content(result.Image.Layers[^2], "one"));
        Assert.AreEqual("script /dev/pipes/EOF\n", Content(result.Image.Layers[^1], "script"));
        Assert.IsFalse(Entries(result.Image.Layers[^1]).Keys.Any(k => k.StartsWith("dev", StringComparison.Ordinal)), "the script's mount is not in the layer");
    }

    [TestMethod]
    public async Task ACacheMountPersistsAcrossBuildsAndStaysOutOfLayers()
    {
        string dockerfile = $"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=cache,target=/cache echo run >> /cache/log && wc -l < /cache/log > /count
            """;
        await BuildAsync(dockerfile);
        var second = await BuildAsync(dockerfile, noCache: true);

        Assert.AreEqual("2", Content(second.Image.Layers[^1], "count").Trim());
        Assert.IsFalse(Entries(second.Image.Layers[^1]).Keys.Any(k => k.StartsWith("cache", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ACacheMountFromAStageStartsAsItsFolderAndIsKeptApartPerSource()
    {
        string Dockerfile(string seed) => $"""
            FROM {SharedBusybox.Image} AS seed
            RUN mkdir -p /seed/sub && echo {seed} > /seed/sub/file
            FROM {SharedBusybox.Image}
            RUN --mount=type=cache,id=from-seed,target=/c,from=seed,source=/seed cat /c/sub/file > /seen && echo added >> /c/sub/file
            RUN --mount=type=cache,id=from-seed,target=/c,from=seed,source=/seed cat /c/sub/file > /again
            RUN --mount=type=cache,id=from-seed,target=/c ls -A /c > /plain
            """;
        var first = await BuildAsync(Dockerfile("one"));
        var layers = first.Image.Layers;
        Assert.AreEqual("one\n", Content(layers[^3], "seen"), "the cache starts as the stage's folder");
        Assert.AreEqual("one\nadded\n", Content(layers[^2], "again"), "and keeps what a step wrote");
        Assert.AreEqual("", Content(layers[^1], "plain"), "the same id without from= is another cache");
        Assert.IsFalse(layers.TakeLast(3).SelectMany(l => Entries(l).Keys).Any(k => k.StartsWith("c/", StringComparison.Ordinal)), "the cache is not in the layers");

        var other = await BuildAsync(Dockerfile("two"));
        Assert.AreEqual("two\n", Content(other.Image.Layers[^3], "seen"), "another source content starts another cache");

        var file = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image} AS seed
            RUN echo x > /file
            FROM {SharedBusybox.Image}
            RUN --mount=type=cache,id=from-file,target=/c,from=seed,source=/file true
            """));
        Assert.AreEqual(ErrorCodes.InvalidRunMount, file.Code);
        Assert.AreEqual(4, file.Location!.Line);
    }

    [TestMethod]
    public async Task StepsRunWithDockersDefaultCapabilitiesEvenAsRoot()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN grep CapBnd /proc/self/status > /bounding && (mount -t tmpfs none /mnt 2>/dev/null && echo mounted || echo refused) > /mount
            """);

        Assert.AreEqual("CapBnd:\t00000000a80425fb\n", Content(result.Image.Layers[^1], "bounding"), "Docker's default set: no CAP_SYS_ADMIN, CAP_SYS_MODULE, ...");
        Assert.AreEqual("refused\n", Content(result.Image.Layers[^1], "mount"));

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"FROM {SharedBusybox.Image}\nRUN --security=insecure true\n"));
        Assert.AreEqual(2, e.Location!.Line);
    }

    [TestMethod]
    public async Task CacheSharingLockedSerializesStepsAndPrivateGivesABusyCacheToOneStepOnly()
    {
        await BuildAsync($"FROM {SharedBusybox.Image}\nRUN --mount=type=cache,id=seeded,target=/c touch /c/marker\n");

        // Two builds at once on one store: with sharing=locked the second step waits for the first.
        var locked = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => BuildInAsync($"locked-{i}", $"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=cache,id=serial,target=/c,sharing=locked echo "start {i}" >> /c/log && sleep 1 && echo "end {i}" >> /c/log && cp /c/log /log
            """)));
        string log = locked.Select(r => Content(r.Image.Layers[^1], "log")).OrderBy(l => l.Length).Last();
        string[] lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(4, lines, log);
        Assert.AreEqual(lines[0][6..], lines[1][4..], "the first step ends before the second starts: " + log);

        // sharing=private: while one step holds the seeded cache, the other gets an empty one.
        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => BuildInAsync($"private-{i}", $"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=cache,id=seeded,target=/c,sharing=private ls /c > /seen && sleep 1
            """)));
        CollectionAssert.AreEquivalent(new[] { "marker\n", "" }, both.Select(r => Content(r.Image.Layers[^1], "seen")).ToList());
    }

    [TestMethod]
    public async Task NetworkNoneLeavesOnlyLoopback()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --network=none ls /sys/class/net > /nets
            """);

        Assert.AreEqual("lo\n", Content(result.Image.Layers[^1], "nets"));
    }

    [TestMethod]
    public async Task RunNetworkHostWithoutTheNetworkHostEntitlementIsAnErrorAtItsLineBeforeAnyStepRuns()
    {
        var log = new TextLog();
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN echo the-first-step-ran
            RUN --network=host true
            """, settings: new BuildSettings { Store = Store, Log = log }));

        Assert.AreEqual(ErrorCodes.NetworkHostNotAllowed, e.Code);
        Assert.AreEqual(3, e.Location!.Line);
        StringAssert.Contains(e.Message, "ContainerAllow=network.host");
        StringAssert.Contains(e.Message, "--allow network.host");
        Assert.IsFalse(log.Text.Contains("the-first-step-ran", StringComparison.Ordinal), log.Text);
    }

    [TestMethod]
    public async Task RunNetworkHostSeesTheHostsInterfacesWhenNetworkHostIsGrantedOrTheDefault()
    {
        string dockerfile = $"""
            FROM {SharedBusybox.Image}
            RUN --network=host ls /sys/class/net > /nets
            """;
        string hosts = string.Concat(Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => n + "\n"));

        var granted = await BuildAsync(dockerfile, settings: new BuildSettings { Store = Store, Entitlements = new BuildEntitlements { NetworkHost = true } });
        var byDefault = await BuildAsync(dockerfile, settings: new BuildSettings { Store = Store, RunNetwork = ContainerNetwork.Host });

        Assert.AreEqual(hosts, Content(granted.Image.Layers[^1], "nets"));
        Assert.AreEqual(hosts, Content(byDefault.Image.Layers[^1], "nets"));
    }

    [TestMethod]
    public async Task ARunWithoutNetworkRunsOnTheBuildsRunNetwork()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN ls /sys/class/net > /nets
            """, settings: new BuildSettings { Store = Store, RunNetwork = ContainerNetwork.None });

        Assert.AreEqual("lo\n", Content(result.Image.Layers[^1], "nets"));
    }

    [TestMethod]
    public async Task AMultiStageBuildCopiesWhatABuildStageMade()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image} AS build
            RUN mkdir /out && echo built > /out/artifact && chmod 750 /out/artifact
            FROM scratch
            COPY --from=build /out/ /
            """);

        Assert.HasCount(1, result.Image.Layers);
        Assert.AreEqual("built\n", Content(result.Image.Layers[0], "artifact"));
        Assert.AreEqual("-rwxr-x---", Entries(result.Image.Layers[0])["artifact"].Mode);
    }

    [TestMethod]
    public async Task BindMountsShowTheContextOrAStageAndRwWritesAreDiscarded()
    {
        Directory.CreateDirectory(Path.Combine(Context, "data"));
        File.WriteAllText(Path.Combine(Context, "data", "file"), "from the context");
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image} AS build
            RUN mkdir /out && echo from-a-stage > /out/artifact
            FROM {SharedBusybox.Image}
            RUN --mount=type=bind,source=data,target=/mnt cat /mnt/file > /seen && (touch /mnt/new 2>/dev/null && echo writable || echo read-only) > /ro
            RUN --mount=type=bind,source=data,target=/mnt,rw echo changed > /mnt/file && cat /mnt/file > /rw
            RUN --mount=type=bind,from=build,source=/out,target=/in cat /in/artifact > /from-stage
            """);

        var layers = result.Image.Layers;
        Assert.AreEqual("from the context", Content(layers[^3], "seen"));
        Assert.AreEqual("read-only\n", Content(layers[^3], "ro"));
        Assert.AreEqual("changed\n", Content(layers[^2], "rw"));
        Assert.AreEqual("from the context", File.ReadAllText(Path.Combine(Context, "data", "file")), "rw writes never reach the context");
        Assert.AreEqual("from-a-stage\n", Content(layers[^1], "from-stage"));
        Assert.IsFalse(layers.TakeLast(3).SelectMany(l => Entries(l).Keys).Any(k => k.StartsWith("mnt", StringComparison.Ordinal) || k.StartsWith("in", StringComparison.Ordinal)),
            "bind targets are not in the layers");
    }

    [TestMethod]
    public async Task ABindSourceCannotLeaveTheContextThroughDotsOrSymlinks()
    {
        Directory.CreateDirectory(Path.Combine(Context, "data"));
        File.CreateSymbolicLink(Path.Combine(Context, "data", "host-etc"), "/etc");

        var dots = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=bind,source=../outside,target=/mnt ls /mnt
            """));
        Assert.AreEqual(ErrorCodes.CopySourceOutsideRoot, dots.Code);
        Assert.AreEqual(2, dots.Location!.Line);

        // An absolute symlink resolves inside the context, as in BuildKit: here to <context>/etc, which does not exist.
        var link = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=bind,source=data/host-etc,target=/mnt ls /mnt
            """));
        Assert.AreEqual(ErrorCodes.InvalidRunMount, link.Code);
        StringAssert.Contains(link.Message, Path.Combine(Context, "etc"));
    }

    /// <summary>A build in its own context folder, so that several can run at once on the test's store.</summary>
    private Task<BuildResult> BuildInAsync(string name, string dockerfile)
    {
        string context = Temp.Combine(name);
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        // Two of these builds may be the same Dockerfile: each must run its step, which is what they test.
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(context, "Dockerfile"),
            ContextDirectory = context,
            Platform = Platform.Host,
            Cache = new Engine.Caching.StepCacheOptions { NoCache = true },
        };
        var outputs = new ImageOutputs { RepositoryName = "test/run", Tags = ["1"], ArchivePath = Temp.Combine(name + ".tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
    }

    private Task<BuildResult> BuildAsync(string dockerfile, bool noCache = false, BuildSettings? settings = null)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            Cache = new Engine.Caching.StepCacheOptions { NoCache = noCache },
        };
        var outputs = new ImageOutputs { RepositoryName = "test/run", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, settings ?? new BuildSettings { Store = Store }, CancellationToken.None);
    }

}
