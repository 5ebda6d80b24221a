using System.Text.Json;
using Containerize.Engine.Builders;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Oci;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Layers;
using Containerize.Engine.Tests.Rootfs;
using Containerize.TestSupport;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// Dockerfile builds with RUN as an ordinary user: users created here with useradd (one with a
/// /etc/subuid range, one without) run DockerfileImageBuilder through <c>ctz-run-probe build</c> and
/// runuser. The base image is built by root and gives files to uid 1654 (app), with a private
/// directory, a private file and a setuid binary. Layers are judged with GNU tar --numeric-owner.
/// </summary>
[TestCategory("Debootstrap")]
[TestClass]
public sealed class RootlessDockerfileBuildTests
{
    private const string RangeUser = "ctz-rl-build";
    private const string SingleUser = "ctz-rl-single";
    private static RegistryServer s_registry = null!;
    private static string s_base = null!;
    private static string s_mergedUsr = null!;

    [ClassInitialize]
    public static async Task Setup(TestContext _)
    {
        if (!LibC.IsRoot) Assert.Fail("creating the test users needs root: run the tests as root, as .ci/run does");
        if ((await ProcessRunner.RunAsync("id", "-u", RangeUser)).ExitCode != 0)
        {
            (await ProcessRunner.RunAsync("useradd", "--create-home", RangeUser)).EnsureSuccess("useradd");
        }
        if ((await ProcessRunner.RunAsync("id", "-u", SingleUser)).ExitCode != 0)
        {
            // No subordinate range: RUN gets one mapped id.
            (await ProcessRunner.RunAsync("useradd", "--create-home", "-K", "SUB_UID_COUNT=0", "-K", "SUB_GID_COUNT=0", SingleUser)).EnsureSuccess("useradd");
        }
        Assert.IsFalse(File.ReadLines("/etc/subuid").Any(l => l.StartsWith(SingleUser + ":", StringComparison.Ordinal)), $"{SingleUser} must have no subordinate range");

        s_registry = RegistryServer.StartAnonymous();
        string busybox = $"{s_registry.Host}/base/busybox";
        s_base = $"{s_registry.Host}/base/owned";
        using var store = new TempDirectory("ctz-rl-base-store");
        var busyboxImage = await BaseImages.PushBusyboxAsync(busybox, store.Path);
        var blobs = new BlobStore(store.Path);
        var (owned, ownedContent) = StackedImages.File("lib/owned", "owned\n", 0b110_100_000);
        var (tool, toolContent) = StackedImages.File("usr/bin/tool", "tool\n", 0b111_101_000);
        var mergedUsr = StackedImages.Layer(blobs, (StackedImages.Dir("usr/"), null), (StackedImages.Dir("usr/lib/"), null), (StackedImages.Dir("usr/bin/"), null),
            (StackedImages.Symlink("lib", "usr/lib"), null), (tool with { Gid = 1654 }, toolContent));
        var onTop = StackedImages.Layer(blobs, StackedImages.File("lib/x", "x through lib\n"), (owned with { Uid = 1654, Gid = 1654 }, ownedContent),
            (StackedImages.HardLink("tool2", "usr/bin/tool"), null));
        s_mergedUsr = $"{s_registry.Host}/base/merged-usr";
        await StackedImages.PushAsync(busyboxImage.Image, [mergedUsr, onTop], blobs, s_mergedUsr);
        using var context = new TempDirectory("ctz-rl-base-context");
        File.WriteAllText(context.Combine("Dockerfile"), $"""
            FROM {busybox}
            RUN mkdir -p /home/app/private /shared && echo secret > /home/app/private/key && chmod 600 /home/app/private/key \
             && chmod 700 /home/app/private && echo s > /shared/a && chown -R 1654:1654 /home/app /shared && echo base > /base-file \
             && cp /bin/busybox /bin/su-box && chown 0:1654 /bin/su-box && chmod 4755 /bin/su-box
            """);
        var request = new DockerfileImageRequest { DockerfilePath = context.Combine("Dockerfile"), ContextDirectory = context.Path };
        var outputs = new ImageOutputs { PushTo = ImageReference.Parse(s_base), RepositoryName = s_base, Tags = ["latest"] };
        await DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(store.Combine("store")) }, CancellationToken.None);
    }

    [TestMethod]
    public async Task LayersResolveThroughLowerSymlinksAndHardLinkLowerFilesWithTheirOwners()
    {
        using var build = await UserBuild.CreateAsync(RangeUser);
        string output = await build.RunAsync($$"""
            FROM {{s_mergedUsr}}
            RUN { ls -ld /lib | sed 's/.* \/lib/\/lib/'; cat /usr/lib/x /tool2; stat -c '%u:%g %a %h' /usr/lib/owned /tool2; } > /seen 2>&1
            """);

        StringAssert.Contains(output, "built=sha256:", output);
        Assert.AreEqual("/lib -> usr/lib\nx through lib\ntool\n1654:1654 640 1\n0:1654 750 2\n", build.Content(build.Layers()[^1], "seen"));
        build.AssertNothingLeftBehind();
    }

    [ClassCleanup]
    public static void StopRegistry() => s_registry?.Dispose();

    [TestMethod]
    public async Task WithASubordinateRangeLayersCarryTheContainersOwnersWhiteoutsAndOpaqueDirectories()
    {
        using var build = await UserBuild.CreateAsync(RangeUser);
        string output = await build.RunAsync($"""
            FROM {s_base}
            RUN stat -c '%u:%g %a %n' /home/app /home/app/private /home/app/private/key /bin/su-box > /seen \
             && rm /base-file && echo r > /by-root && chown 1654:1654 /by-root && id -u > /root-uid
            USER app
            RUN id -u > /home/app/uid && echo mine > /home/app/private/new && rm /home/app/private/key \
             && mkdir -m 700 /home/app/private/sub && echo x > /home/app/private/sub/hidden && chmod 600 /home/app/private/sub/hidden
            USER root
            RUN rm -r /shared && mkdir /shared && echo b > /shared/b && chown 1654 /shared/b
            """);

        StringAssert.Contains(output, "built=sha256:", output);
        Assert.IsFalse(output.Contains("CTZ7008", StringComparison.Ordinal), "no single-id warning with a range: " + output);
        var layers = build.Layers();
        var first = layers[^3];
        Assert.AreEqual("1654:1654 755 /home/app\n1654:1654 700 /home/app/private\n1654:1654 600 /home/app/private/key\n0:1654 4755 /bin/su-box\n",
            build.Content(first, "seen"), "the lower layers show the image's owners and modes inside the container");
        Assert.AreEqual("0\n", build.Content(first, "root-uid"));
        var entries = Entries(first);
        Assert.AreEqual("1654/1654", entries["by-root"].Owner);
        Assert.AreEqual("0/0", entries["seen"].Owner);
        Assert.IsTrue(entries.ContainsKey(".wh.base-file"), string.Join(", ", entries.Keys));

        var second = Entries(layers[^2]);
        Assert.AreEqual("1654\n", build.Content(layers[^2], "home/app/uid"));
        Assert.AreEqual(("1654/1654", "drwx------"), (second["home/app/private/"].Owner, second["home/app/private/"].Mode));
        Assert.AreEqual(("1654/1654", "-rw-r--r--"), (second["home/app/private/new"].Owner, second["home/app/private/new"].Mode));
        Assert.AreEqual(("1654/1654", "drwx------"), (second["home/app/private/sub/"].Owner, second["home/app/private/sub/"].Mode));
        Assert.AreEqual(("1654/1654", "-rw-------"), (second["home/app/private/sub/hidden"].Owner, second["home/app/private/sub/hidden"].Mode));
        Assert.AreEqual("x\n", build.Content(layers[^2], "home/app/private/sub/hidden"));
        Assert.IsTrue(second.ContainsKey("home/app/private/.wh.key"), string.Join(", ", second.Keys));

        var third = Entries(layers[^1]);
        Assert.AreEqual("0/0", third["shared/"].Owner);
        Assert.IsTrue(third.ContainsKey("shared/.wh..wh..opq"), "a replaced directory is opaque: " + string.Join(", ", third.Keys));
        Assert.AreEqual("1654/0", third["shared/b"].Owner);
        Assert.IsFalse(third.ContainsKey("shared/a"));

        build.AssertNothingLeftBehind();
    }

    [TestMethod]
    public async Task SecretAndCacheMountsGetTheOwnerTheyAskForAsAnOrdinaryUser()
    {
        using var build = await UserBuild.CreateAsync(RangeUser);
        string secret = build.UserFile("api-key", "s3cr3t-rootless");

        string output = await build.RunAsync($"""
            FROM {s_base}
            RUN --mount=type=secret,id=api,uid=1654,gid=1654 --mount=type=cache,target=/c,uid=1654,gid=1654,mode=0700 \
                stat -c '%u:%g %a' /run/secrets/api /c > /owners
            USER app
            RUN --mount=type=secret,id=api,uid=1654 --mount=type=cache,target=/c,uid=1654,gid=1654,mode=0700 \
                cat /run/secrets/api | wc -c > /home/app/read && touch /c/written && echo ok > /home/app/cache
            """, new Dictionary<string, string?> { ["CTZ_PROBE_SECRETS"] = $"api={secret}" });

        StringAssert.Contains(output, "built=sha256:", output);
        Assert.IsFalse(output.Contains("CTZ5227", StringComparison.Ordinal), "the owners are applied, not warned about: " + output);
        var layers = build.Layers();
        Assert.AreEqual("1654:1654 400\n1654:1654 700\n", build.Content(layers[^2], "owners"));
        Assert.AreEqual("15\n", build.Content(layers[^1], "home/app/read"), "USER app reads the 0400 secret it owns");
        Assert.AreEqual("ok\n", build.Content(layers[^1], "home/app/cache"), "and writes into the 0700 cache it owns");
        build.AssertNothingLeftBehind();
    }

    [TestMethod]
    public async Task AptGetInstallsAPackageAsAnOrdinaryUser()
    {
        string debian = $"{s_registry.Host}/base/debian";
        using (var store = new TempDirectory("ctz-rl-debian-store")) await BaseImages.PushDebianAsync(debian, store.Path);
        using var build = await UserBuild.CreateAsync(RangeUser);

        string output = await build.RunAsync($"""
            FROM {debian}:bookworm
            RUN apt-get update && apt-get install -y --no-install-recommends figlet && rm -rf /var/lib/apt/lists/*
            RUN figlet ok > /banner && stat -c '%U' /var/cache/apt/archives/partial > /partial-owner
            """);

        StringAssert.Contains(output, "built=sha256:", output);
        StringAssert.Contains(output, "Setting up figlet", output);
        var layers = build.Layers();
        var installed = Entries(layers[^2]);
        Assert.AreEqual("0/0", installed["usr/bin/figlet-figlet"].Owner, string.Join(", ", installed.Keys.Take(20)));
        StringAssert.Contains(build.Content(layers[^1], "banner"), "|");
        Assert.AreEqual("_apt\n", build.Content(layers[^1], "partial-owner"), "apt's _apt user owns its download folder inside the container, as with root");
        build.AssertNothingLeftBehind();
    }

    [TestMethod]
    public async Task TheCopyFallbackWorksRootlessOnAnImageTheUserCanReadAndNamesTheLimitOtherwise()
    {
        using var build = await UserBuild.CreateAsync(RangeUser);
        var copy = new Dictionary<string, string?> { ["CONTAINERIZE_ROOTFS"] = "copy" };
        string busybox = s_base.Replace("/base/owned", "/base/busybox", StringComparison.Ordinal);
        string output = await build.RunAsync($"""
            FROM {busybox}
            RUN echo r > /by-root && rm /etc/group && mkdir -p /home/app2 && chown 1654:1654 /home/app2 && mkfifo /fifo
            USER app
            RUN echo mine > /tmp/mine
            """, copy);

        StringAssert.Contains(output, "built=sha256:", output);
        StringAssert.Contains(output, "snapshot diff instead of overlay", output);
        var layers = build.Layers();
        var first = Entries(layers[^2]);
        Assert.AreEqual("0/0", first["by-root"].Owner);
        Assert.IsTrue(first.ContainsKey("etc/.wh.group"), string.Join(", ", first.Keys));
        Assert.AreEqual("1654/1654", first["home/app2/"].Owner);
        Assert.AreEqual("1654/1654", Entries(layers[^1])["tmp/mine"].Owner);
        build.AssertNothingLeftBehind();

        // The owned base has a folder only uid 1654 may read: the user cannot copy it outside the namespace.
        string refused = await build.RunAsync($"""
            FROM {s_base}
            RUN true
            """, copy);
        StringAssert.Contains(refused, "CTZ3015", refused);
        build.AssertNothingLeftBehind();
    }

    [TestMethod]
    public async Task AFailingOrRepeatedRootlessBuildLeavesNoSubordinateIdFilesBehind()
    {
        using var build = await UserBuild.CreateAsync(RangeUser);
        string failed = await build.RunAsync($"""
            FROM {s_base}
            USER app
            RUN mkdir -m 700 /home/app/private/left && echo x > /home/app/private/left/over && exit 7
            """);
        StringAssert.Contains(failed, "error CTZ", failed);
        StringAssert.Contains(failed, "exit code 7", failed);
        build.AssertNothingLeftBehind();

        // The unpacked layers are kept per mapping and reused: a second build does not unpack again.
        string ok = await build.RunAsync($"""
            FROM {s_base}
            RUN test "$(stat -c %u /home/app/private/key)" = 1654
            """);
        StringAssert.Contains(ok, "built=sha256:", ok);
        string[] stores = Directory.GetDirectories(build.Store, "unpacked*");
        Assert.AreEqual(1, stores.Length, string.Join(", ", stores));
        StringAssert.StartsWith(Path.GetFileName(stores[0]), "unpacked-userns-u");
        build.AssertNothingLeftBehind();
    }

    [TestMethod]
    public async Task WithOneMappedIdRootStepsWorkWithAWarningAndTheImagesOwnersBecomeRoot()
    {
        using var build = await UserBuild.CreateAsync(SingleUser);
        string output = await build.RunAsync($"""
            FROM {s_base}
            RUN stat -c '%u:%g %a %n' /home/app/private/key /bin/su-box > /seen && rm /base-file && echo r > /by-root \
             && rm /home/app/private/key && echo n > /home/app/private/new
            """);

        StringAssert.Contains(output, "warning CTZ7008: RUN steps run with a single mapped id", output);
        StringAssert.Contains(output, "built=sha256:", output);
        var layers = build.Layers();
        // Documented limit: with one id, every file of the base image belongs to the user, i.e. container root.
        Assert.AreEqual("0:0 600 /home/app/private/key\n0:0 4755 /bin/su-box\n", build.Content(layers[^1], "seen"));
        var entries = Entries(layers[^1]);
        Assert.AreEqual("0/0", entries["by-root"].Owner);
        Assert.IsTrue(entries.ContainsKey(".wh.base-file"));
        Assert.IsTrue(entries.ContainsKey("home/app/private/.wh.key"));
        Assert.AreEqual("0/0", entries["home/app/private/new"].Owner);
        build.AssertNothingLeftBehind();

        string failed = await build.RunAsync($"""
            FROM {s_base}
            USER app
            RUN id
            """);
        StringAssert.Contains(failed, "cannot switch to user app", failed);
        build.AssertNothingLeftBehind();
    }

    private static Dictionary<string, TarListing> Entries(string blob) =>
        ExternalTool.RunChecked("tar", "--numeric-owner", "--full-time", "-tvzf", blob)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TarListing.Parse).ToDictionary(e => e.Name);

    /// <summary>A work folder owned by the user: context, store, output; the probe runs there as the user.</summary>
    private sealed class UserBuild : IDisposable
    {
        private readonly TempDirectory _root = new("ctz-rl-build");
        private string _userName = "";
        private uint _uid;
        private (long Start, long Count) _subUids;

        public string Store => _root.Combine("store");

        private string Archive => _root.Combine("image.tar");

        public static async Task<UserBuild> CreateAsync(string user)
        {
            var build = new UserBuild { _userName = user };
            build._uid = uint.Parse((await ProcessRunner.RunAsync("id", "-u", user)).EnsureSuccess("id").StandardOutput.Trim());
            string? line = File.ReadLines("/etc/subuid").FirstOrDefault(l => l.StartsWith(user + ":", StringComparison.Ordinal));
            build._subUids = line is null ? (0, 0) : (long.Parse(line.Split(':')[1]), long.Parse(line.Split(':')[2]));
            Directory.CreateDirectory(build._root.Combine("context"));
            Directory.CreateDirectory(build.Store);
            ExternalTool.RunChecked("chown", "-R", $"{user}:{user}", build._root.Path);
            return build;
        }

        /// <summary>A file in the build's folder that the user owns and only the user can read.</summary>
        public string UserFile(string name, string content)
        {
            string file = _root.Combine(name);
            File.WriteAllText(file, content);
            ExternalTool.RunChecked("chown", $"{_userName}:{_userName}", file);
            ExternalTool.RunChecked("chmod", "600", file);
            return file;
        }

        public async Task<string> RunAsync(string dockerfile, IReadOnlyDictionary<string, string?>? environment = null)
        {
            string file = _root.Combine("context", "Dockerfile");
            File.WriteAllText(file, dockerfile);
            File.Delete(Archive);
            string probe = Path.Combine(AppContext.BaseDirectory, "ctz-run-probe.dll");
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
            var env = new Dictionary<string, string?> { ["HOME"] = $"/home/{_userName}", ["DOTNET_CLI_HOME"] = $"/home/{_userName}", ["TMPDIR"] = null };
            foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) env[name] = value;
            var result = await ProcessRunner.RunAsync("runuser", ["-u", _userName, "--", dotnet, probe, "build", file, _root.Combine("context"), Store, Archive],
                workingDirectory: "/tmp", environment: env, timeout: TimeSpan.FromMinutes(3));
            return result.Output;
        }

        /// <summary>The layer blobs of the built image (an OCI layout in a tar), bottom first.</summary>
        public List<string> Layers()
        {
            string layout = _root.Combine("layout");
            Directory.CreateDirectory(layout);
            ExternalTool.RunChecked("tar", "-xf", Archive, "-C", layout);
            string Blob(string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
            using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json")));
            string manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
            using var manifest = JsonDocument.Parse(File.ReadAllText(Blob(manifestDigest)));
            return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => Blob(l.GetProperty("digest").GetString()!)).ToList();
        }

        public string Content(string blob, string name)
        {
            string directory = _root.Combine("extracted-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            ExternalTool.RunChecked("tar", "-xzf", blob, "-C", directory, name);
            return File.ReadAllText(Path.Combine(directory, name));
        }

        /// <summary>
        /// Nothing the build made stays in /tmp (its run, unpack and namespace scratch folders), and
        /// nothing in the store or /tmp belongs to the user's subordinate ids but the kept unpacked layers.
        /// </summary>
        public void AssertNothingLeftBehind()
        {
            var left = new List<string>();
            foreach (string entry in Directory.EnumerateFileSystemEntries("/tmp"))
            {
                if (entry == _root.Path || LibC.TryStatx(entry) is not { } m) continue;
                if (m.Uid == _uid || IsSubordinate(m.Uid)) left.Add($"{entry} (uid {m.Uid})");
            }
            foreach (string tmp in Directory.GetDirectories(Store, "tmp", SearchOption.AllDirectories))
            {
                left.AddRange(Directory.EnumerateDirectories(tmp));
            }
            foreach (string entry in Directory.EnumerateFileSystemEntries(_root.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                // Kept on purpose: unpacked layers and cache mounts, whose files have the container's owners.
                if (entry.Contains("/unpacked-userns-", StringComparison.Ordinal) || entry.Contains("/cache-mounts/", StringComparison.Ordinal)
                    || LibC.TryStatx(entry) is not { } m) continue;
                if (IsSubordinate(m.Uid)) left.Add($"{entry} (uid {m.Uid})");
            }
            Assert.AreEqual(0, left.Count, "left behind: " + string.Join(", ", left));
        }

        private bool IsSubordinate(long uid) => _subUids.Count > 0 && uid >= _subUids.Start && uid < _subUids.Start + _subUids.Count;

        public void Dispose() => _root.Dispose();
    }
}
