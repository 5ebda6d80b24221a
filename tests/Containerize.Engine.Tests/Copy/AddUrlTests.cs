using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Copy;

/// <summary>ADD &lt;url&gt;: downloaded from a real local HTTP server, named after the URL, 0600, timed by Last-Modified, checked by --checksum.</summary>
[TestCategory("Unit")]
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddUrlTests
{
    private static readonly DateTimeOffset Modified = new(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CopyRequest Add(CopyFixture f, string destination, params string[] sources) => f.Request(destination, sources) with { IsAdd = true };

    private static string Sha256(string content) => "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content))).ToLowerInvariant();

    private static int TemporaryDownloads() => Directory.GetDirectories(Path.GetTempPath(), HttpSourceFetcher.TemporaryPrefix + "*").Length;

    [TestMethod]
    public void AUrlIntoADirectoryIsNamedAfterItsLastPathSegmentWithMode0600AndTheLastModifiedTime()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        string url = server.Serve("files/notes.txt", "remote notes", Modified);
        var layer = f.Copy(Add(f, "/dir/", url));
        var entries = f.Entries(layer);
        CollectionAssert.AreEqual(new[] { "dir/", "dir/notes.txt" }, entries.Keys.ToArray());
        Assert.AreEqual("-rw-------", entries["dir/notes.txt"].Mode);
        Assert.AreEqual("0/0", entries["dir/notes.txt"].Owner);
        Assert.AreEqual("2021-05-06 07:08:09", entries["dir/notes.txt"].Time);
        Assert.AreEqual("remote notes", f.Content(layer, "dir/notes.txt"));
    }

    [TestMethod]
    public void AUrlOntoAPathWithoutSlashBecomesThatFile()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var layer = f.Copy(Add(f, "/etc/app.conf", server.Serve("download/config.txt", "x=1")));
        CollectionAssert.AreEqual(new[] { "etc/", "etc/app.conf" }, f.Names(layer));
        Assert.AreEqual("x=1", f.Content(layer, "etc/app.conf"));
    }

    [TestMethod]
    public void AUrlOntoAnExistingImageDirectoryGoesInsideIt()
    {
        using var f = new CopyFixture();
        f.Image.WithDirectory("/opt");
        using var server = new LocalHttpServer();
        CollectionAssert.AreEqual(new[] { "opt/tool.sh" }, f.Names(f.Copy(Add(f, "/opt", server.Serve("tool.sh", "#!/bin/sh")))));
    }

    [TestMethod]
    public void ContentDispositionDoesNotNameTheFile()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        string url = server.Serve("get", Encoding.UTF8.GetBytes("body"), contentDisposition: "attachment; filename=\"other.bin\"");
        CollectionAssert.AreEqual(new[] { "d/", "d/get" }, f.Names(f.Copy(Add(f, "/d/", url))));
    }

    [TestMethod]
    public void AUrlWithoutAPathIsUnnamed()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        server.Serve("/", "index");
        CollectionAssert.AreEqual(new[] { "d/", "d/__unnamed__" }, f.Names(f.Copy(Add(f, "/d/", server.BaseUrl + "/"))));
    }

    [TestMethod]
    public void WithoutLastModifiedTheTimeIsTheUnixEpoch()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        Assert.AreEqual("1970-01-01 00:00:00", f.Entries(f.Copy(Add(f, "/d/", server.Serve("a.txt", "a"))))["d/a.txt"].Time);
    }

    [TestMethod]
    public void ChownChmodAndSourceDateEpochApplyToTheDownload()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var request = Add(f, "/d/", server.Serve("a.txt", "a", Modified)) with
        {
            Chown = "7:8",
            Chmod = "644",
            SourceDateEpoch = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var entry = f.Entries(f.Copy(request))["d/a.txt"];
        Assert.AreEqual("7/8", entry.Owner);
        Assert.AreEqual("-rw-r--r--", entry.Mode);
        Assert.AreEqual("2020-01-01 00:00:00", entry.Time);
    }

    [TestMethod]
    public void LocalAndRemoteSourcesMixInSourceOrder()
    {
        using var f = new CopyFixture();
        f.Write("local.txt", "local");
        f.Write("same.txt", "from context");
        using var server = new LocalHttpServer();
        var layer = f.Copy(Add(f, "/d/", "local.txt", server.Serve("same.txt", "from server"), "same.txt"));
        CollectionAssert.AreEqual(new[] { "d/", "d/local.txt", "d/same.txt" }, f.Names(layer));
        Assert.AreEqual("from context", f.Content(layer, "d/same.txt"), "a later source replaces an earlier one");
    }

    [TestMethod]
    public void SeveralSourcesWithAUrlNeedADirectoryDestination()
    {
        using var f = new CopyFixture();
        f.Write("local.txt");
        using var server = new LocalHttpServer();
        var e = f.Fails(Add(f, "/d", "local.txt", server.Serve("a.txt", "a")));
        Assert.AreEqual(ErrorCodes.CopyDestinationNotDirectory, e.Code);
    }

    [TestMethod]
    public void ADownloadedArchiveIsNotExtractedByDefault()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var layer = f.Copy(Add(f, "/d/", server.Serve("pkg.tar.gz", File.ReadAllBytes(PackArchive(f)))));
        CollectionAssert.AreEqual(new[] { "d/", "d/pkg.tar.gz" }, f.Names(layer));
    }

    [TestMethod]
    [DoNotParallelize] // extraction uses the ctz-add-* folders AddArchiveTests counts
    public void ADownloadedArchiveIsExtractedWithUnpackTrue()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var layer = f.Copy(Add(f, "/d/", server.Serve("pkg.tar.gz", File.ReadAllBytes(PackArchive(f)))) with { Unpack = true });
        CollectionAssert.AreEqual(new[] { "d/", "d/inner.txt" }, f.Names(layer));
        Assert.AreEqual("inside", f.Content(layer, "d/inner.txt"));
    }

    [TestMethod]
    public void UnpackFalseKeepsALocalArchiveWhole()
    {
        using var f = new CopyFixture();
        File.Copy(PackArchive(f), f.PathIn("pkg.tgz"));
        CollectionAssert.AreEqual(new[] { "d/", "d/pkg.tgz" }, f.Names(f.Copy(Add(f, "/d/", "pkg.tgz") with { Unpack = false })));
    }

    [TestMethod]
    public void AMatchingChecksumIsAccepted()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var layer = f.Copy(Add(f, "/d/", server.Serve("a.txt", "pinned")) with { Checksum = Sha256("pinned") });
        Assert.AreEqual("pinned", f.Content(layer, "d/a.txt"));
    }

    [TestMethod]
    public void AChecksumMismatchNamesBothDigestsAndLeavesNothingBehind()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        int before = TemporaryDownloads();
        var location = new SourceLocation("Dockerfile", 5, 1);
        var e = f.Fails(Add(f, "/d/", server.Serve("a.txt", "changed")) with { Checksum = Sha256("pinned"), Location = location });
        Assert.AreEqual(ErrorCodes.RemoteChecksumMismatch, e.Code);
        StringAssert.Contains(e.Message, Sha256("pinned"));
        StringAssert.Contains(e.Message, Sha256("changed"));
        Assert.AreEqual(location, e.Location);
        Assert.AreEqual(before, TemporaryDownloads());
    }

    [TestMethod]
    [DataRow("sha256:abc")]
    [DataRow("md5:0123456789abcdef0123456789abcdef")]
    [DataRow("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void AMalformedChecksumIsRefusedBeforeDownloading(string checksum)
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var e = f.Fails(Add(f, "/d/", server.Serve("a.txt", "a")) with { Checksum = checksum });
        Assert.AreEqual(ErrorCodes.InvalidAddChecksum, e.Code);
        Assert.AreEqual(0, server.Requests);
    }

    [TestMethod]
    public void AChecksumNeedsExactlyOneRemoteSource()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        using var server = new LocalHttpServer();
        string url = server.Serve("b.txt", "b");
        Assert.AreEqual(ErrorCodes.InvalidAddChecksum, f.Fails(Add(f, "/d/", url, "a.txt") with { Checksum = Sha256("b") }).Code);
        Assert.AreEqual(ErrorCodes.InvalidAddChecksum, f.Fails(Add(f, "/d/", "a.txt") with { Checksum = Sha256("content") }).Code);
        Assert.AreEqual(0, server.Requests);
    }

    [TestMethod]
    public void ANotFoundUrlIsAPositionedErrorWithTheUrl()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        var location = new SourceLocation("Dockerfile", 9, 1);
        int before = TemporaryDownloads();
        var e = f.Fails(Add(f, "/d/", server.Url("missing.txt")) with { Location = location });
        Assert.AreEqual(ErrorCodes.RemoteDownloadFailed, e.Code);
        StringAssert.Contains(e.Message, server.Url("missing.txt"));
        StringAssert.Contains(e.Message, "404");
        Assert.AreEqual(location, e.Location);
        Assert.AreEqual(before, TemporaryDownloads());
    }

    [TestMethod]
    public void ARefusedConnectionIsAnErrorWithTheUrl()
    {
        using var f = new CopyFixture();
        string url = $"http://127.0.0.1:{LocalHttpServer.FreePort()}/a.txt";
        var e = f.Fails(Add(f, "/d/", url));
        Assert.AreEqual(ErrorCodes.RemoteDownloadFailed, e.Code);
        StringAssert.Contains(e.Message, url);
    }

    [TestMethod]
    public void APasswordInTheUrlIsMaskedInErrors()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        string url = server.Url("missing.txt").Replace("http://", "http://user:secret@", StringComparison.Ordinal);
        var e = f.Fails(Add(f, "/d/", url));
        Assert.DoesNotContain("secret", e.Message);
        StringAssert.Contains(e.Message, "user:xxxxx@");
    }

    [TestMethod]
    public void CancellingADownloadStopsItAndRemovesTheTemporaryFile()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        string url = server.Serve("slow.bin", new byte[16], delay: TimeSpan.FromSeconds(30));
        int before = TemporaryDownloads();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        Assert.Throws<OperationCanceledException>(() => FileCopier.CopyAsync(Add(f, "/d/", url), f.Image, f.Store, cancel.Token).GetAwaiter().GetResult());
        Assert.IsLessThan(TimeSpan.FromSeconds(10), DateTime.UtcNow - started);
        Assert.AreEqual(before, TemporaryDownloads());
    }

    [TestMethod]
    public void ASuccessfulDownloadLeavesNoTemporaryFile()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        int before = TemporaryDownloads();
        f.Copy(Add(f, "/d/", server.Serve("a.txt", "a")));
        Assert.AreEqual(before, TemporaryDownloads());
    }

    [TestMethod]
    [DataRow("http://example.com/a.txt")]
    [DataRow("https://example.com/a.txt")]
    [DataRow("git://example.com/repo")]
    [DataRow("https://example.com/repo.git#main")]
    public void CopyRefusesRemoteSources(string source)
    {
        using var f = new CopyFixture();
        var e = f.Fails(f.Request("/d/", source));
        Assert.AreEqual(ErrorCodes.CopyRemoteSource, e.Code);
        StringAssert.Contains(e.Message, "COPY");
        StringAssert.Contains(e.Message, "ADD");
    }

    [TestMethod]
    public void CopyRefusesAUrlBeforeAnyRequest()
    {
        using var f = new CopyFixture();
        using var server = new LocalHttpServer();
        Assert.AreEqual(ErrorCodes.CopyRemoteSource, f.Fails(f.Request("/d/", server.Serve("a.txt", "a"))).Code);
        Assert.AreEqual(0, server.Requests);
    }

    /// <summary>A gzip tar holding inner.txt, outside the context.</summary>
    private static string PackArchive(CopyFixture f)
    {
        string staging = f.TempPath("staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "inner.txt"), "inside");
        string archive = f.TempPath("pkg-" + Guid.NewGuid().ToString("N") + ".tar.gz");
        ExternalTool.RunChecked("tar", "-C", staging, "-czf", archive, "inner.txt");
        return archive;
    }
}
