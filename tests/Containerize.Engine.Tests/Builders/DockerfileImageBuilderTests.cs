using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Registry;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Builders;

/// <summary>Dockerfiles without RUN built end to end in the engine: a real registry holds the bases, GNU tar judges the layers.</summary>
[TestCategory("Registry")]
[TestClass]
public sealed class DockerfileImageBuilderTests : DockerfileBuildTest
{
    private static RegistryServer s_registry = null!;
    private static string s_base = null!;

    public DockerfileImageBuilderTests()
        : base("ctz-dockerfile") { }

    [ClassInitialize]
    public static void StartRegistry(TestContext _)
    {
        s_registry = RegistryServer.StartAnonymous();
        using var temp = new TempDirectory("ctz-base");
        var store = new BlobStore(temp.Path);
        // A base with /etc/passwd naming "app" (uid 1000, gid 1001) and a /srv directory.
        var image = SampleImage.Build(store, new Dictionary<string, string>
        {
            ["etc/passwd"] = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n",
            ["etc/group"] = "root:x:0:\napp:x:1001:\n",
            ["srv/readme.txt"] = "base file",
        });
        s_base = $"{s_registry.Host}/test/base:1";
        using var session = new RegistrySession(new RegistryOptions());
        session.PushAsync(image, ImageReference.Parse(s_base), ["1"], store, CancellationToken.None).GetAwaiter().GetResult();
    }

    [ClassCleanup]
    public static void StopRegistry() => s_registry.Dispose();

    [TestMethod]
    public async Task AMultiStageDockerfileBuildsTheTargetFromItsStagesAndNamedContexts()
    {
        WriteContext("data/settings.json", "{}");
        string publish = WritePublishOutput("app.dll", "binary");
        WriteDockerfile($"""
            ARG BASE={s_base}
            FROM scratch AS assets
            COPY --chmod=640 <<EOF /assets/config.txt
            greeting=hello
            EOF
            FROM ${"{BASE}"}
            LABEL stage=final
            WORKDIR /app
            COPY --from=publish . ./
            COPY --from=assets /assets/ /etc/app/
            COPY --chown=app data/ /data/
            USER app
            ENTRYPOINT ["dotnet", "app.dll"]
            """);

        var result = await BuildAsync(new Dictionary<string, string> { ["publish"] = publish });

        var image = result.Image;
        Assert.HasCount(1 + 4, image.Layers, "base layer + WORKDIR + 3 COPY");
        var config = image.Config.Config!;
        Assert.AreEqual("/app", config.WorkingDir);
        Assert.AreEqual("app", config.User);
        CollectionAssert.AreEqual(new[] { "dotnet", "app.dll" }, config.Entrypoint!.ToList());
        Assert.IsNull(config.Cmd, "ENTRYPOINT clears the base image's CMD");
        Assert.AreEqual("final", config.Labels!["stage"]);
        Assert.AreEqual("yes", config.Labels["org.example.sample"], "base labels are kept");

        var history = image.Config.History!;
        Assert.HasCount(image.Layers.Count, history.Where(h => h.EmptyLayer != true).ToList(), "one non-empty history entry per layer");
        CollectionAssert.AreEqual(
            new[] { "LABEL stage=final", "WORKDIR /app", "COPY . ./", "COPY /assets/ /etc/app/", "COPY data/ /data/", "USER app", "ENTRYPOINT [\"dotnet\",\"app.dll\"]" },
            history.Skip(1).Select(h => h.CreatedBy).ToList());

        var workdir = Entries(image.Layers[1]);
        Assert.AreEqual("drwxr-xr-x", workdir["app/"].Mode);
        var appLayer = Entries(image.Layers[2]);
        Assert.AreEqual("0/0", appLayer["app/app.dll"].Owner);
        var assets = Entries(image.Layers[3]);
        Assert.AreEqual("-rw-r-----", assets["etc/app/config.txt"].Mode, "--chmod=640 on the heredoc file, kept by COPY --from");
        Assert.AreEqual("0/0", assets["etc/app/config.txt"].Owner);
        Assert.AreEqual("greeting=hello\n", Content(image.Layers[3], "etc/app/config.txt"));
        var data = Entries(image.Layers[4]);
        Assert.AreEqual("1000/1001", data["data/settings.json"].Owner, "--chown=app resolves through the base image's /etc/passwd");
    }

    [TestMethod]
    public async Task OnlyTheStagesTheTargetNeedsAreBuilt()
    {
        WriteContext("a.txt", "a");
        WriteDockerfile("""
            FROM 127.0.0.1:1/never/resolved AS unused
            FROM scratch AS first
            COPY a.txt /
            FROM scratch AS second
            COPY --from=first /a.txt /b.txt
            """);

        var result = await BuildAsync(target: "second");

        Assert.HasCount(1, result.Image.Layers);
        Assert.AreEqual("a", Content(result.Image.Layers[0], "b.txt"));
    }

    [TestMethod]
    public async Task AStageBuiltOnAnotherStageKeepsItsLayersAndHistory()
    {
        WriteContext("one.txt", "1");
        WriteContext("two.txt", "2");
        WriteDockerfile($"""
            FROM {s_base} AS parent
            ENV STAGE=parent
            COPY one.txt /
            FROM parent
            COPY two.txt /
            """);

        var result = await BuildAsync();

        Assert.HasCount(3, result.Image.Layers);
        Assert.AreEqual("1", Content(result.Image.Layers[1], "one.txt"));
        Assert.AreEqual("2", Content(result.Image.Layers[2], "two.txt"));
        CollectionAssert.Contains(result.Image.Config.Config!.Env!.ToList(), "STAGE=parent");
        CollectionAssert.AreEqual(new[] { "sample layer 1", "ENV STAGE=parent", "COPY one.txt /", "COPY two.txt /" },
            result.Image.Config.History!.Select(h => h.CreatedBy).ToList());
    }

    [TestMethod]
    public async Task CopyFromAnImageReadsThatImagesFiles()
    {
        WriteDockerfile($"""
            FROM scratch
            COPY --from={s_base} /srv/readme.txt /readme.txt
            """);

        var result = await BuildAsync();

        Assert.AreEqual("base file", Content(result.Image.Layers[0], "readme.txt"));
    }

    [TestMethod]
    public async Task AStageNamedLikeANamedContextWins()
    {
        WriteContext("from-stage.txt", "stage");
        string publish = WritePublishOutput("from-context.txt", "context");
        WriteDockerfile("""
            FROM scratch AS publish
            COPY from-stage.txt /out/
            FROM scratch
            COPY --from=publish /out/ /
            """);

        var result = await BuildAsync(new Dictionary<string, string> { ["publish"] = publish });

        CollectionAssert.AreEquivalent(new[] { "from-stage.txt" }, Entries(result.Image.Layers[0]).Keys.ToList());
    }

    [TestMethod]
    public async Task AnImageContextReplacesTheNameInFrom()
    {
        WriteDockerfile("""
            FROM runtime
            ENV X=1
            """);

        var result = await BuildAsync(new Dictionary<string, string> { ["runtime"] = "docker-image://" + s_base });

        Assert.HasCount(1, result.Image.Layers, "the base's layer");
        CollectionAssert.AreEqual(new[] { "/bin/sh" }, result.Image.Config.Config!.Cmd!.ToList(), "the aliased image's config");
        CollectionAssert.Contains(result.Image.Config.Config.Env!.ToList(), "GREETING=hello");
        CollectionAssert.Contains(result.Image.Config.Config.Env!.ToList(), "X=1");
    }

    [TestMethod]
    public async Task OnbuildTriggersRunInTheStageBuiltOnTheImageAndAreNotInherited()
    {
        WriteContext("trigger.txt", "from the trigger");
        WriteDockerfile($"""
            FROM {s_base}
            ONBUILD COPY trigger.txt /triggered/
            """);
        string parent = $"{s_registry.Host}/test/onbuild";
        await BuildAsync(pushTo: parent);

        WriteDockerfile($"FROM {parent}:1\nENV CHILD=1\n");
        var child = await BuildAsync();

        var layers = child.Image.Layers;
        Assert.HasCount(2, layers, "the base layer and the trigger's COPY");
        Assert.AreEqual("from the trigger", Content(layers[1], "triggered/trigger.txt"));
        Assert.IsNull(child.Image.Config.Config!.OnBuild, "triggers are consumed, not passed on");
        CollectionAssert.AreEqual(new[] { "COPY trigger.txt /triggered/", "ENV CHILD=1" },
            child.Image.Config.History!.Skip(2).Select(h => h.CreatedBy).ToList());
    }

    [TestMethod]
    public async Task AddFromAUrlVerifiesTheChecksumTheDockerfileGives()
    {
        using var server = new Copy.LocalHttpServer();
        string url = server.Serve("/tool.txt", "tool v1");
        string digest = Digest.Sha256(System.Text.Encoding.UTF8.GetBytes("tool v1")).ToString();
        WriteDockerfile($"FROM scratch\nARG SUM={digest}\nADD --checksum=$SUM {url} /opt/\n");

        var result = await BuildAsync();
        Assert.AreEqual("tool v1", Content(result.Image.Layers[0], "opt/tool.txt"));

        WriteDockerfile($"FROM scratch\nADD --checksum=sha256:{new string('0', 64)} {url} /opt/\n");
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync());
        Assert.AreEqual(ErrorCodes.RemoteChecksumMismatch, e.Code);
        Assert.AreEqual(2, e.Location!.Line);
    }

    [TestMethod]
    public async Task WorkdirAddsALayerOnlyWhenTheDirectoryIsMissing()
    {
        WriteDockerfile($"""
            FROM {s_base}
            WORKDIR /srv
            USER app
            WORKDIR /home/app/work
            """);

        var result = await BuildAsync();

        Assert.HasCount(2, result.Image.Layers, "/srv exists in the base; /home/app/work does not");
        var created = Entries(result.Image.Layers[1]);
        Assert.AreEqual("1000/1001", created["home/app/work/"].Owner, "created as the stage's USER, as BuildKit does");
        Assert.AreEqual("1000/1001", created["home/"].Owner);
        var history = result.Image.Config.History!;
        Assert.IsTrue(history.Single(h => h.CreatedBy == "WORKDIR /srv").EmptyLayer);
        Assert.IsFalse(history.Single(h => h.CreatedBy == "WORKDIR /home/app/work").EmptyLayer);
    }

    [TestMethod]
    public async Task FilesTheDockerignoreExcludesCannotBeCopied()
    {
        WriteContext("secret.txt", "s");
        WriteContext(".dockerignore", "secret.txt\n");
        WriteDockerfile("FROM scratch\nCOPY secret.txt /\n");

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync());

        Assert.AreEqual(ErrorCodes.CopySourceNotFound, e.Code);
        Assert.AreEqual(2, e.Location!.Line);
        Assert.AreEqual(Path.Combine(Context, "Dockerfile"), e.Location.File);
    }

    [TestMethod]
    public async Task AMissingDockerfileAndAMissingNamedContextAreClearErrors()
    {
        var missing = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync());
        Assert.AreEqual(ErrorCodes.DockerfileMissing, missing.Code);

        WriteDockerfile("FROM scratch\n");
        var context = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync(new Dictionary<string, string> { ["assets"] = Temp.Combine("nowhere") }));
        Assert.AreEqual(ErrorCodes.InvalidNamedContext, context.Code);
        StringAssert.Contains(context.Message, "nowhere");
    }

    [TestMethod]
    public async Task WithSourceDateEpochTheSameInputsGiveTheSameDigest()
    {
        WriteContext("a.txt", "a");
        WriteDockerfile($"FROM {s_base}\nWORKDIR /app\nCOPY a.txt .\n");
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var first = await BuildAsync(sourceDateEpoch: epoch);
        File.SetLastWriteTimeUtc(Path.Combine(Context, "a.txt"), DateTime.UtcNow.AddDays(1));
        var second = await BuildAsync(sourceDateEpoch: epoch);

        Assert.AreEqual(first.ManifestDigest, second.ManifestDigest);
        Assert.AreEqual("2023-11-14T22:13:20Z", second.Image.Config.Created);
    }

    private void WriteDockerfile(string text) => File.WriteAllText(Path.Combine(Context, "Dockerfile"), text);

    /// <summary>A folder standing for the publish output, with one file.</summary>
    private string WritePublishOutput(string name, string content)
    {
        string publish = Temp.Combine("publish");
        Directory.CreateDirectory(publish);
        File.WriteAllText(Path.Combine(publish, name), content);
        return publish;
    }

    private void WriteContext(string relative, string content)
    {
        string path = Path.Combine(Context, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private Task<BuildResult> BuildAsync(IReadOnlyDictionary<string, string>? namedContexts = null, string? target = null, DateTimeOffset? sourceDateEpoch = null, string? pushTo = null)
    {
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            NamedContexts = namedContexts ?? new Dictionary<string, string>(),
            Target = target,
            Platform = Platform.Parse("linux/amd64"),
            SourceDateEpoch = sourceDateEpoch,
        };
        var outputs = pushTo is null
            ? new ImageOutputs { RepositoryName = "test/app", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") }
            : new ImageOutputs { RepositoryName = pushTo, Tags = ["1"], PushTo = ImageReference.Parse(pushTo) };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store }, CancellationToken.None);
    }

}
