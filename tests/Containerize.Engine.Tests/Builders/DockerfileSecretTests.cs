using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Builders;

/// <summary>
/// RUN --mount=type=secret on a busybox base from a real registry, in real namespaces: the step
/// sees the secret as a file or a variable; no blob of the store, no config, no history line and
/// no log line holds it afterwards.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class DockerfileSecretTests : DockerfileBuildTest
{
    private readonly TextLog _log = new();
    private readonly string _secret = "ctz-secret-" + Guid.NewGuid().ToString("N");

    public DockerfileSecretTests()
        : base("ctz-secret-build")
    {
        File.WriteAllText(SecretFile, _secret);
    }

    private string SecretFile => Temp.Combine("token.txt");

    private string SecretHash => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_secret))).ToLowerInvariant();

    [TestMethod]
    public async Task ASecretFileIsReadableInTheStepAndNowhereInTheImage()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -d' ' -f1 > /hash && stat -c '%a %u:%g' /run/secrets/token > /mode
            RUN test ! -e /run/secrets/token && echo gone > /after
            """, ("token", BuildSecret.FromFile(SecretFile)));

        var layer = result.Image.Layers[^2];
        Assert.AreEqual(SecretHash, Content(layer, "hash").Trim(), "the step read the secret's exact content");
        Assert.AreEqual("400 0:0", Content(layer, "mode").Trim(), "mode 0400, owned by root, as BuildKit");
        CollectionAssert.AreEquivalent(new[] { "hash", "mode" }, Entries(layer).Keys.ToList(), "no /run or /run/secrets mount point in the layer");
        Assert.AreEqual("gone\n", Content(result.Image.Layers[^1], "after"), "the next step does not see the secret");
        AssertNoLeak(result);
    }

    [TestMethod]
    public async Task TheScanFindsASecretThatAStepCopiesIntoItsLayer()
    {
        await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=secret,id=token cp /run/secrets/token /copied
            """, ("token", BuildSecret.FromFile(SecretFile)));

        Assert.HasCount(1, SecretScan.FilesContaining(Store.Root, Encoding.UTF8.GetBytes(_secret)), "the judge sees inside gzip layers");
    }

    [TestMethod]
    public async Task ASecretAsAVariableReachesTheProcessButNotHistory()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            ARG TOKEN=public
            RUN --mount=type=secret,id=token,env=TOKEN printf %s "$TOKEN" | sha256sum | cut -d' ' -f1 > /hash; test -e /run/secrets/token && echo file > /file; true
            """, ("token", BuildSecret.FromFile(SecretFile)));

        var layer = result.Image.Layers[^1];
        Assert.AreEqual(SecretHash, Content(layer, "hash").Trim());
        Assert.IsFalse(Entries(layer).ContainsKey("file"), "env= alone mounts no file");
        StringAssert.StartsWith(result.Image.Config.History![^1].CreatedBy, "RUN |1 TOKEN=public ", "history shows the build arg, not the secret");
        AssertNoLeak(result);
    }

    [TestMethod]
    public async Task ASecretFromAnEnvironmentVariableAtACustomTargetWithModeAndOwner()
    {
        string variable = "CTZ_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, _secret);
        try
        {
            var result = await BuildAsync($"""
                FROM {SharedBusybox.Image}
                USER app
                RUN --mount=type=secret,id=api,target=/etc/app/key,mode=0440,uid=1654,gid=1654 stat -c '%a %u:%g' /etc/app/key > /tmp/mode && sha256sum /etc/app/key | cut -d' ' -f1 > /tmp/hash
                """, ("api", BuildSecret.FromEnvironment(variable)));

            var layer = result.Image.Layers[^1];
            Assert.AreEqual("440 1654:1654", Content(layer, "tmp/mode").Trim());
            Assert.AreEqual(SecretHash, Content(layer, "tmp/hash").Trim(), "user app reads the secret it owns");
            Assert.IsFalse(Entries(layer).Keys.Any(k => k.StartsWith("etc", StringComparison.Ordinal)), "no /etc/app mount point: " + string.Join(", ", Entries(layer).Keys));
            AssertNoLeak(result);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestMethod]
    public async Task ARequiredSecretThatIsMissingFailsAtItsLine()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}

            RUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent
            """));

        Assert.AreEqual(ErrorCodes.SecretRequired, e.Code);
        Assert.AreEqual(3, e.Location!.Line);
        StringAssert.Contains(e.Message, "ContainerSecret Include=\"absent\"");
    }

    [TestMethod]
    public async Task AnOptionalSecretThatIsMissingIsSkipped()
    {
        var result = await BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=secret,id=absent --mount=type=secret,id=absent2,env=ABSENT test ! -e /run/secrets/absent && ! env | grep -q ^ABSENT= && echo skipped > /skipped
            """);

        Assert.AreEqual("skipped\n", Content(result.Image.Layers[^1], "skipped"));
    }

    [TestMethod]
    public async Task ASecretFileThatDoesNotExistStopsTheBuildBeforeItStarts()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN true
            """, ("token", BuildSecret.FromFile(Temp.Combine("missing.txt")))));

        Assert.AreEqual(ErrorCodes.InvalidSecretSource, e.Code);
        StringAssert.Contains(e.Message, "missing.txt");
    }

    [TestMethod]
    public async Task AFailingStepLeavesNoSecretBehindAndDoesNotPrintIt()
    {
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => BuildAsync($"""
            FROM {SharedBusybox.Image}
            RUN --mount=type=secret,id=token,env=TOKEN false
            """, ("token", BuildSecret.FromFile(SecretFile))));

        Assert.AreEqual(ErrorCodes.RunStepFailed, e.Code);
        Assert.IsFalse(e.Message.Contains(_secret, StringComparison.Ordinal), e.Message);
        Assert.IsFalse(_log.Text.Contains(_secret, StringComparison.Ordinal));
        AssertNoSecretInTemp();
    }

    private void AssertNoLeak(BuildResult result)
    {
        byte[] secret = Encoding.UTF8.GetBytes(_secret);
        Assert.IsGreaterThan(2, SecretScan.CountFiles(Store.Root), "the store holds the image's blobs");
        CollectionAssert.AreEqual(Array.Empty<string>(), SecretScan.FilesContaining(Store.Root, secret).ToArray(), "no blob, config or manifest holds the secret");
        string archive = Temp.Combine("archive");
        Directory.CreateDirectory(archive);
        ExternalTool.RunChecked("tar", "-xf", Temp.Combine("image.tar"), "-C", archive);
        CollectionAssert.AreEqual(Array.Empty<string>(), SecretScan.FilesContaining(archive, secret).ToArray(), "nothing in the exported image holds the secret");
        Assert.IsFalse(System.Text.Json.JsonSerializer.Serialize(result.Image.Config).Contains(_secret, StringComparison.Ordinal));
        Assert.IsFalse(_log.Text.Contains(_secret, StringComparison.Ordinal), "the log does not show the secret");
        AssertNoSecretInTemp();
    }

    /// <summary>The step's private secret directory is gone: no file under the temp folder's build scratch holds the secret.</summary>
    private void AssertNoSecretInTemp()
    {
        foreach (string scratch in Directory.EnumerateDirectories(Path.GetTempPath(), "containerize-run-*"))
        {
            string secrets = Path.Combine(scratch, "secrets");
            if (!Directory.Exists(secrets)) continue;
            foreach (string file in Directory.EnumerateFiles(secrets))
            {
                try { Assert.IsFalse(File.ReadAllText(file).Contains(_secret, StringComparison.Ordinal), $"{file} still holds the secret"); }
                catch (IOException) { } // another test's step, gone meanwhile
            }
        }
    }

    private Task<BuildResult> BuildAsync(string dockerfile, params (string Id, BuildSecret Secret)[] secrets)
    {
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), dockerfile);
        var request = new DockerfileImageRequest
        {
            DockerfilePath = Path.Combine(Context, "Dockerfile"),
            ContextDirectory = Context,
            Platform = Platform.Host,
            Secrets = secrets.ToDictionary(s => s.Id, s => s.Secret),
        };
        var outputs = new ImageOutputs { RepositoryName = "test/secret", Tags = ["1"], ArchivePath = Temp.Combine("image.tar") };
        return DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = Store, Log = _log }, CancellationToken.None);
    }

}
