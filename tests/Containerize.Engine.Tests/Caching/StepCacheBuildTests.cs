using System.Text;
using Containerize.Engine.Builders;
using Containerize.Engine.Caching;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.TestSupport;

using Containerize.Engine.Tests.Builders;

namespace Containerize.Engine.Tests.Caching;

/// <summary>
/// The step cache on real builds: a busybox base from a real registry, RUN steps in real
/// namespaces. What a user sees is judged: which steps log CACHED, the summary line, the image
/// digest, and what the store holds.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class StepCacheBuildTests : DockerfileBuildTest
{

    public StepCacheBuildTests()
        : base("ctz-step-cache") { }

    private string AppDockerfile => $"""
        FROM {SharedBusybox.Image}
        WORKDIR /app
        COPY a.txt .
        COPY b.txt .
        ARG FLAVOUR=plain
        RUN cat a.txt b.txt > joined && echo "$FLAVOUR" > flavour
        ENV MODE=release
        RUN echo "$MODE" > mode
        """;

    [TestMethod]
    public async Task ASecondBuildIsAllCachedGivesTheSameDigestAndUnpacksNothing()
    {
        WriteContext("a.txt", "a");
        WriteContext("b.txt", "b");
        var first = await BuildAsync(AppDockerfile);
        Assert.IsFalse(first.Log.Contains("CACHED", StringComparison.Ordinal), first.Log);
        StringAssert.Contains(first.Log, "5 steps run, 0 cached");
        foreach (string unpacked in Directory.EnumerateDirectories(Store.Root, "unpacked*")) Directory.Delete(unpacked, recursive: true);

        var second = await BuildAsync(AppDockerfile);

        Assert.AreEqual(first.Result.ManifestDigest, second.Result.ManifestDigest);
        CollectionAssert.AreEqual(new[] { "WORKDIR /app", "COPY a.txt .", "COPY b.txt .", "RUN cat a.txt b.txt > joined && echo \"$FLAVOUR\" > flavour", "RUN echo \"$MODE\" > mode" },
            second.Cached, second.Log);
        StringAssert.Contains(second.Log, "[stage 0 2/8] WORKDIR /app CACHED");
        StringAssert.Contains(second.Log, "0 steps run, 5 cached");
        Assert.IsFalse(Directory.EnumerateDirectories(Store.Root, "unpacked*").Any(d => Directory.EnumerateFileSystemEntries(Path.Combine(d, "chains")).Any()),
            "a fully cached build unpacks no layer");
    }

    [TestMethod]
    public async Task AStageOfOnlyMetadataOnAnEarlierStageIsTheSameImageOnARebuild()
    {
        string dockerfile = $"""
            FROM {SharedBusybox.Image} AS app
            RUN echo app > /app
            FROM app
            ENV MODE=release
            ENTRYPOINT ["/bin/sh"]
            """;
        var first = await BuildAsync(dockerfile);
        await Task.Delay(1100); // a second later: a time taken from the clock would show

        var second = await BuildAsync(dockerfile);

        Assert.AreEqual(first.Result.ManifestDigest, second.Result.ManifestDigest);
    }

    [TestMethod]
    public async Task TouchingAFileHitsAndChangingItsContentMissesFromTheFirstCopyThatReadsIt()
    {
        WriteContext("a.txt", "a");
        WriteContext("b.txt", "b");
        await BuildAsync(AppDockerfile);

        File.SetLastWriteTimeUtc(Path.Combine(Context, "a.txt"), DateTime.UtcNow.AddHours(3));
        File.SetLastWriteTimeUtc(Path.Combine(Context, "b.txt"), DateTime.UtcNow.AddHours(3));
        var touched = await BuildAsync(AppDockerfile);
        Assert.HasCount(5, touched.Cached, touched.Log);

        WriteContext("b.txt", "b, changed");
        var changed = await BuildAsync(AppDockerfile);
        CollectionAssert.AreEqual(new[] { "WORKDIR /app", "COPY a.txt ." }, changed.Cached, changed.Log);
        StringAssert.Contains(changed.Log, "3 steps run, 2 cached");
    }

    [TestMethod]
    public async Task AChmodOfACopiedFileMisses()
    {
        WriteContext("a.txt", "a");
        string dockerfile = $"FROM {SharedBusybox.Image}\nCOPY a.txt /\n";
        await BuildAsync(dockerfile);

        File.SetUnixFileMode(Path.Combine(Context, "a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = await BuildAsync(dockerfile);

        Assert.IsEmpty(result.Cached, result.Log);
    }

    [TestMethod]
    public async Task ABuildArgOrEnvChangeMissesTheRunStepsThatSeeIt()
    {
        WriteContext("a.txt", "a");
        WriteContext("b.txt", "b");
        await BuildAsync(AppDockerfile);

        var arg = await BuildAsync(AppDockerfile, buildArgs: new() { ["FLAVOUR"] = "spicy" });
        CollectionAssert.AreEqual(new[] { "WORKDIR /app", "COPY a.txt .", "COPY b.txt ." }, arg.Cached, arg.Log);

        var env = await BuildAsync(AppDockerfile.Replace("MODE=release", "MODE=debug", StringComparison.Ordinal));
        CollectionAssert.AreEqual(new[] { "WORKDIR /app", "COPY a.txt .", "COPY b.txt .", "RUN cat a.txt b.txt > joined && echo \"$FLAVOUR\" > flavour" },
            env.Cached, env.Log);
    }

    [TestMethod]
    public async Task AnotherSecretValueStillHitsAndNoRecordHoldsIt()
    {
        string dockerfile = $"FROM {SharedBusybox.Image}\nRUN --mount=type=secret,id=token wc -c < /run/secrets/token > /length\n";
        string first = "ctz-secret-" + Guid.NewGuid().ToString("N");
        string second = "ctz-secret-" + Guid.NewGuid().ToString("N");
        await BuildAsync(dockerfile, secret: first);

        var result = await BuildAsync(dockerfile, secret: second);

        Assert.HasCount(1, result.Cached, result.Log);
        string records = Path.Combine(Store.Root, "cache");
        Assert.IsGreaterThan(0, SecretScan.CountFiles(records));
        foreach (string secret in new[] { first, second })
        {
            CollectionAssert.AreEqual(Array.Empty<string>(), SecretScan.FilesContaining(Store.Root, Encoding.UTF8.GetBytes(secret)).ToArray(), "no record or blob holds the secret");
        }
    }

    [TestMethod]
    public async Task NoCacheRunsEveryStepAndTheFilterRunsOnlyItsStage()
    {
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        string dockerfile = $"""
            FROM {SharedBusybox.Image} AS tools
            RUN echo tool > /tool

            FROM {SharedBusybox.Image}
            COPY --from=tools /tool /tool
            RUN cat /tool > /used
            """;
        var first = await BuildAsync(dockerfile, epoch: epoch);

        var noCache = await BuildAsync(dockerfile, epoch: epoch, cache: new StepCacheOptions { NoCache = true });
        Assert.IsEmpty(noCache.Cached, noCache.Log);
        StringAssert.Contains(noCache.Log, "3 steps run, 0 cached");

        var filtered = await BuildAsync(dockerfile, epoch: epoch, cache: new StepCacheOptions { NoCacheStages = ["TOOLS"] });
        StringAssert.Contains(filtered.Log, "[tools 2/2] RUN echo tool > /tool (", "the filtered stage runs");
        CollectionAssert.AreEqual(new[] { "COPY /tool /tool", "RUN cat /tool > /used" }, filtered.Cached,
            "the rest hits: the stage ran again and made the same layer");
        Assert.AreEqual(first.Result.ManifestDigest, filtered.Result.ManifestDigest);

        var typo = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync(dockerfile, cache: new StepCacheOptions { NoCacheStages = ["tool"] }));
        Assert.AreEqual(ErrorCodes.UnknownNoCacheStage, typo.Code);
        StringAssert.Contains(typo.Message, "tools");
    }

    [TestMethod]
    public async Task AnAddedUrlIsKeyedOnWhatItServesAndABindMountOnItsSourceContent()
    {
        using var server = new Copy.LocalHttpServer();
        string url = server.Serve("/tool.txt", "tool v1");
        Directory.CreateDirectory(Path.Combine(Context, "src"));
        WriteContext("src/input.txt", "one");
        string dockerfile = $"""
            FROM {SharedBusybox.Image}
            ADD {url} /opt/
            RUN --mount=type=bind,source=src,target=/src cat /src/input.txt > /seen
            """;
        await BuildAsync(dockerfile);

        var same = await BuildAsync(dockerfile);
        Assert.HasCount(2, same.Cached, same.Log);

        server.Serve("/tool.txt", "tool v2");
        var newTool = await BuildAsync(dockerfile);
        Assert.IsEmpty(newTool.Cached, "the download changed, and the RUN after it: " + newTool.Log);

        WriteContext("src/input.txt", "two");
        var newInput = await BuildAsync(dockerfile);
        CollectionAssert.AreEqual(new[] { $"ADD {url} /opt/" }, newInput.Cached, newInput.Log);
    }

    [TestMethod]
    public async Task ARunIsKeyedOnTheNetworkItRunsOn()
    {
        string withoutFlag = $"FROM {SharedBusybox.Image}\nRUN echo ran > /ran\n";
        await BuildAsync(withoutFlag);

        var onHost = await BuildAsync(withoutFlag, runNetwork: ContainerNetwork.Host);
        Assert.IsEmpty(onHost.Cached, "a step run in its own network is no hit for one on the host's: " + onHost.Log);

        var flagged = await BuildAsync($"FROM {SharedBusybox.Image}\nRUN --network=host echo ran > /ran\n", entitlements: new BuildEntitlements { NetworkHost = true });
        Assert.HasCount(1, flagged.Cached, "--network=host keys as a step without the flag on a host default: " + flagged.Log);

        var isolated = await BuildAsync(withoutFlag, runNetwork: ContainerNetwork.None);
        Assert.IsEmpty(isolated.Cached, isolated.Log);
    }

    [TestMethod]
    public async Task ACopyLinkLayerIsReusedOnAnotherBase()
    {
        WriteContext("a.txt", "a");
        var onBusybox = await BuildAsync($"FROM {SharedBusybox.Image}\nCOPY --link a.txt /opt/a.txt\n");

        var onScratch = await BuildAsync("FROM scratch\nCOPY --link a.txt /opt/a.txt\n");

        CollectionAssert.AreEqual(new[] { "COPY a.txt /opt/a.txt" }, onScratch.Cached, onScratch.Log);
        Assert.AreEqual(onBusybox.Result.Image.Layers[^1].Descriptor.Digest, onScratch.Result.Image.Layers.Single().Descriptor.Digest);
    }

    [TestMethod]
    public async Task ARecordWhoseBlobWasDeletedIsAMissAndTheImageIsWhole()
    {
        WriteContext("a.txt", "a");
        string dockerfile = $"FROM {SharedBusybox.Image}\nCOPY a.txt /\nRUN cat /a.txt > /b.txt\n";
        var first = await BuildAsync(dockerfile, epoch: DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        File.Delete(Store.PathFor(first.Result.Image.Layers[^2].Descriptor.Digest));

        var second = await BuildAsync(dockerfile, epoch: DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        CollectionAssert.AreEqual(new[] { "RUN cat /a.txt > /b.txt" }, second.Cached, "the COPY runs again, and makes the same layer the RUN built on");
        Assert.AreEqual(first.Result.ManifestDigest, second.Result.ManifestDigest);
        Assert.IsTrue(Store.Contains(second.Result.Image.Layers[^2].Descriptor.Digest));
    }

    [TestMethod]
    public async Task PruningAfterABuildRemovesTheLeastRecentlyUsedEntriesAndKeepsTheNewest()
    {
        var built = new List<(string Dockerfile, Digest Layer)>();
        for (int i = 0; i < 3; i++)
        {
            WriteContext($"f{i}.bin", RandomText(200_000, i));
            string dockerfile = $"FROM scratch\nCOPY f{i}.bin /\n";
            var result = await BuildAsync(dockerfile);
            built.Add((dockerfile, result.Result.Image.Layers[^1].Descriptor.Digest));
            await Task.Delay(50);
        }
        long newest = Store.SizeOf(built[2].Layer);
        // Use the oldest again: it becomes the most recently used.
        await BuildAsync(built[0].Dockerfile);

        var pruned = await BuildAsync(built[2].Dockerfile, maxSize: newest * 2 + 10);

        StringAssert.Contains(pruned.Log, "removed 1 least recently used entries");
        Assert.IsTrue(Store.Contains(built[0].Layer), "used most recently but one");
        Assert.IsFalse(Store.Contains(built[1].Layer), "the least recently used entry's layer is freed");
        Assert.IsTrue(Store.Contains(built[2].Layer), "the newest is kept");
        var again = await BuildAsync(built[1].Dockerfile);
        Assert.IsEmpty(again.Cached, again.Log);
        Assert.HasCount(1, (await BuildAsync(built[2].Dockerfile)).Cached);
    }

    [TestMethod]
    public void APruneByHandWaitsForNoBuildAndReportsWhatItFreed()
    {
        var cache = new StepCache(Store);
        var blob = Store.Put(Encoding.UTF8.GetBytes("a layer"));
        var key = Digest.Sha256(Encoding.UTF8.GetBytes("key"));
        cache.Put(new StepCacheRecord { Key = key, Layer = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = blob, Size = 7 }, DiffId = blob, History = "COPY x /" });

        using (cache.UseAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            Assert.IsNull(StepCachePruner.TryPrune(cache, 0, CancellationToken.None), "a running build holds the store");
        }
        var result = StepCachePruner.TryPrune(cache, 0, CancellationToken.None);

        Assert.IsNotNull(result);
        Assert.AreEqual((1, 1, 7L), (result.RecordsRemoved, result.BlobsRemoved, result.BytesFreed));
        Assert.IsNull(cache.TryGet(key));
        Assert.IsFalse(Store.Contains(blob));
        StringAssert.Contains(StepCacheReport.Describe(result, 0, Store.Root), "freed 7 B");
    }

    private static string RandomText(int length, int seed)
    {
        var random = new Random(seed);
        return new string(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))).ToArray());
    }

    private void WriteContext(string name, string content) => File.WriteAllText(Path.Combine(Context, name), content);

    private sealed record Build(BuildResult Result, string Log, List<string> Cached);

    private async Task<Build> BuildAsync(string dockerfile, Dictionary<string, string>? buildArgs = null, string? secret = null,
        DateTimeOffset? epoch = null, StepCacheOptions? cache = null, long maxSize = BuildSettings.DefaultCacheMaxSize,
        ContainerNetwork runNetwork = ContainerNetwork.Default, BuildEntitlements? entitlements = null)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        string secretFile = Temp.Combine("secret.txt");
        if (secret is not null) File.WriteAllText(secretFile, secret);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            BuildArgs = buildArgs ?? [],
            Secrets = secret is null ? new Dictionary<string, BuildSecret>() : new Dictionary<string, BuildSecret> { ["token"] = BuildSecret.FromFile(secretFile) },
            SourceDateEpoch = epoch,
            Cache = cache ?? new StepCacheOptions(),
        };
        var log = new TextLog();
        var outputs = new ImageOutputs { RepositoryName = "test/cache", Tags = ["1"], ArchivePath = Temp.Combine($"image-{Guid.NewGuid():N}.tar") };
        var result = await DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings
        {
            Store = Store,
            Log = log,
            CacheMaxSize = maxSize,
            RunNetwork = runNetwork,
            Entitlements = entitlements ?? BuildEntitlements.None,
        }, CancellationToken.None);
        var cached = log.Text.Split('\n').Where(l => l.EndsWith(" CACHED", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..^" CACHED".Length]).ToList();
        return new Build(result, log.Text, cached);
    }
}
