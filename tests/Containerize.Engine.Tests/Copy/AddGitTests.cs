using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>ADD &lt;git ref&gt;: a real repository served by git daemon, checked out by ref, subdirectory, checksum and --keep-git-dir.</summary>
[TestCategory("Unit")]
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddGitTests
{
    private static readonly DateTimeOffset FirstDate = new(2020, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly DateTimeOffset FeatureDate = new(2020, 3, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MainDate = new(2020, 3, 6, 0, 0, 0, TimeSpan.Zero);

    private static LocalGitServer s_server = null!;
    private static string s_url = null!;
    private static string s_first = null!;
    private static string s_main = null!;
    private static string s_tagObject = null!;

    [ClassInitialize]
    public static void StartServer(TestContext _)
    {
        s_server = new LocalGitServer();
        string repo = s_server.CreateRepository("repo");
        Directory.CreateDirectory(Path.Combine(repo, "docs"));
        File.CreateSymbolicLink(Path.Combine(repo, "docs", "link"), "guide.txt");
        File.CreateSymbolicLink(Path.Combine(repo, "docslink"), "docs");
        s_first = s_server.Commit(repo, FirstDate, ("readme", "v1"), ("bin/tool.sh", "#!/bin/sh\n"), ("docs/guide.txt", "guide"));
        s_server.Git(repo, FirstDate, "tag", "-a", "v1", "-m", "release 1");
        s_tagObject = s_server.Git(repo, null, "rev-parse", "v1").Trim();
        s_server.Git(repo, null, "checkout", "-q", "-b", "feature");
        s_server.Commit(repo, FeatureDate, ("feature.txt", "feature"));
        s_server.Git(repo, null, "checkout", "-q", "main");
        s_main = s_server.Commit(repo, MainDate, ("readme", "v2"));
        s_url = s_server.Url("repo");
    }

    [ClassCleanup]
    public static void StopServer() => s_server?.Dispose();

    private static CopyRequest Add(CopyFixture f, string destination, params string[] sources) => f.Request(destination, sources) with { IsAdd = true };

    private static int TemporaryCheckouts() => Directory.GetDirectories(Path.GetTempPath(), GitSourceFetcher.TemporaryPrefix + "*").Length;

    [TestMethod]
    public void WithoutARefTheDefaultBranchIsCheckedOutWithoutDotGit()
    {
        using var f = new CopyFixture();
        var layer = f.Copy(Add(f, "/src/", s_url));
        var entries = f.Entries(layer);
        CollectionAssert.AreEqual(
            new[] { "src/", "src/bin/", "src/bin/tool.sh", "src/docs/", "src/docs/guide.txt", "src/docs/link", "src/docslink", "src/readme" },
            entries.Keys.ToArray());
        Assert.AreEqual("v2", f.Content(layer, "src/readme"));
        Assert.AreEqual("-rwxr-xr-x", entries["src/bin/tool.sh"].Mode);
        Assert.AreEqual("-rw-r--r--", entries["src/readme"].Mode);
        Assert.AreEqual("drwxr-xr-x", entries["src/docs/"].Mode);
        Assert.AreEqual("guide.txt", entries["src/docs/link"].Target);
        Assert.IsTrue(entries.Values.All(e => e.Owner == "0/0"), "owners are root's without --chown");
        Assert.IsTrue(entries.Values.All(e => e.Time == "2020-03-06 00:00:00"), "every entry takes the commit's time: " + string.Join(", ", entries.Values.Select(e => e.Time)));
    }

    [TestMethod]
    public void ADestinationWithoutSlashReceivesTheRepositoryContents()
    {
        using var f = new CopyFixture();
        CollectionAssert.Contains(f.Names(f.Copy(Add(f, "/src", s_url))), "src/readme");
    }

    [TestMethod]
    public void ABranchIsCheckedOut()
    {
        using var f = new CopyFixture();
        var layer = f.Copy(Add(f, "/src/", s_url + "#feature"));
        Assert.AreEqual("feature", f.Content(layer, "src/feature.txt"));
        Assert.AreEqual("v1", f.Content(layer, "src/readme"));
        Assert.AreEqual("2020-03-05 00:00:00", f.Entries(layer)["src/readme"].Time);
    }

    [TestMethod]
    public void AnAnnotatedTagIsCheckedOut()
    {
        using var f = new CopyFixture();
        var layer = f.Copy(Add(f, "/src/", s_url + "#v1"));
        Assert.AreEqual("v1", f.Content(layer, "src/readme"));
        CollectionAssert.DoesNotContain(f.Names(layer), "src/feature.txt");
    }

    [TestMethod]
    public void ACommitHashIsCheckedOut()
    {
        using var f = new CopyFixture();
        var layer = f.Copy(Add(f, "/src/", s_url + "#" + s_first));
        Assert.AreEqual("v1", f.Content(layer, "src/readme"));
        Assert.AreEqual("2020-03-04 05:06:07", f.Entries(layer)["src/readme"].Time);
    }

    [TestMethod]
    public void ASubdirectoryAfterTheRefIsWhatIsCopied()
    {
        using var f = new CopyFixture();
        var layer = f.Copy(Add(f, "/guide/", s_url + "#main:docs"));
        CollectionAssert.AreEqual(new[] { "guide/", "guide/guide.txt", "guide/link" }, f.Names(layer));
    }

    [TestMethod]
    [DataRow("#main:nope")]
    [DataRow("#main:readme")]
    [DataRow("#main:../repo")]
    [DataRow("#main:docs/link")]
    [DataRow("#main:docslink")]
    public void ASubdirectoryThatIsNotARealDirectoryIsAnError(string fragment)
    {
        using var f = new CopyFixture();
        int before = TemporaryCheckouts();
        var e = f.Fails(Add(f, "/src/", s_url + fragment));
        Assert.AreEqual(ErrorCodes.InvalidGitSubdirectory, e.Code);
        Assert.AreEqual(before, TemporaryCheckouts());
    }

    [TestMethod]
    public void KeepGitDirKeepsTheRepository()
    {
        using var f = new CopyFixture();
        var names = f.Names(f.Copy(Add(f, "/src/", s_url) with { KeepGitDir = true }));
        CollectionAssert.Contains(names, "src/.git/");
        CollectionAssert.Contains(names, "src/.git/HEAD");
        CollectionAssert.Contains(names, "src/readme");
    }

    [TestMethod]
    public void TheChecksumMayBeTheCommitHashOrAPrefixOfIt()
    {
        using var f = new CopyFixture();
        f.Copy(Add(f, "/src/", s_url) with { Checksum = s_main });
        f.Copy(Add(f, "/src/", s_url + "#v1") with { Checksum = s_first[..12].ToUpperInvariant() });
        f.Copy(Add(f, "/src/", s_url + "#v1") with { Checksum = s_tagObject });
    }

    [TestMethod]
    public void AChecksumMismatchNamesBothCommitsAndLeavesNothingBehind()
    {
        using var f = new CopyFixture();
        int before = TemporaryCheckouts();
        var location = new SourceLocation("Dockerfile", 2, 1);
        var e = f.Fails(Add(f, "/src/", s_url + "#v1") with { Checksum = s_main, Location = location });
        Assert.AreEqual(ErrorCodes.RemoteChecksumMismatch, e.Code);
        StringAssert.Contains(e.Message, s_main);
        StringAssert.Contains(e.Message, s_first);
        Assert.AreEqual(location, e.Location);
        Assert.AreEqual(before, TemporaryCheckouts());
    }

    [TestMethod]
    public void AChecksumThatIsNotHexIsRefused()
    {
        using var f = new CopyFixture();
        Assert.AreEqual(ErrorCodes.InvalidAddChecksum, f.Fails(Add(f, "/src/", s_url) with { Checksum = "sha256:abc" }).Code);
    }

    [TestMethod]
    [DataRow("#no-such-branch")]
    [DataRow("#0000000000000000000000000000000000000000")]
    public void AnUnknownRefIsAnErrorWithTheRepository(string fragment)
    {
        using var f = new CopyFixture();
        int before = TemporaryCheckouts();
        var e = f.Fails(Add(f, "/src/", s_url + fragment));
        Assert.AreEqual(ErrorCodes.GitFetchFailed, e.Code);
        StringAssert.Contains(e.Message, s_url);
        Assert.AreEqual(before, TemporaryCheckouts());
    }

    [TestMethod]
    public void AMissingRepositoryIsAnError()
    {
        using var f = new CopyFixture();
        var e = f.Fails(Add(f, "/src/", s_server.Url("no-such-repo")));
        Assert.AreEqual(ErrorCodes.GitFetchFailed, e.Code);
        StringAssert.Contains(e.Message, "no-such-repo");
    }

    [TestMethod]
    public void ChownAndAnEarlierSourceDateEpochApplyToTheCheckout()
    {
        using var f = new CopyFixture();
        var request = Add(f, "/src/", s_url) with { Chown = "5:6", SourceDateEpoch = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        var entries = f.Entries(f.Copy(request));
        Assert.IsTrue(entries.Values.All(e => e.Owner == "5/6"));
        Assert.IsTrue(entries.Values.All(e => e.Time == "2019-01-01 00:00:00"));
    }

    [TestMethod]
    public void LocalFilesAndARepositoryMix()
    {
        using var f = new CopyFixture();
        f.Write("local.txt", "local");
        int before = TemporaryCheckouts();
        var names = f.Names(f.Copy(Add(f, "/src/", "local.txt", s_url + "#main:docs")));
        CollectionAssert.AreEqual(new[] { "src/", "src/guide.txt", "src/link", "src/local.txt" }, names);
        Assert.AreEqual(before, TemporaryCheckouts());
    }

    [TestMethod]
    public void TheLayerIsTheSameForTheSameCommit()
    {
        using var f = new CopyFixture();
        var first = f.Copy(Add(f, "/src/", s_url + "#v1"));
        var second = f.Copy(Add(f, "/src/", s_url + "#" + s_first));
        Assert.AreEqual(first.Descriptor.Digest, second.Descriptor.Digest);
    }

    [TestMethod]
    public void CancellingAFetchStopsGitAndRemovesTheCheckout()
    {
        using var f = new CopyFixture();
        // A server that accepts the connection and never answers: git waits until it is killed.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
            int before = TemporaryCheckouts();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var started = DateTime.UtcNow;
            Assert.Throws<OperationCanceledException>(() =>
                FileCopier.CopyAsync(Add(f, "/src/", $"git://127.0.0.1:{port}/repo"), f.Image, f.Store, cancel.Token).GetAwaiter().GetResult());
            Assert.IsLessThan(TimeSpan.FromSeconds(10), DateTime.UtcNow - started);
            Assert.AreEqual(before, TemporaryCheckouts());
        }
        finally
        {
            silent.Stop();
        }
    }
}
