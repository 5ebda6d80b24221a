using System.IO.Compression;
using System.Security.Cryptography;
using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>
/// ADD &lt;url&gt; against a server that answers what it likes: redirects to local files, redirect
/// loops, statuses that are not content, bodies that lie about their length, hostile names. Each
/// is a clear error naming the URL, or the file as a well-behaved client would store it, and never
/// anything read from this machine or left in the temp folder.
/// </summary>
[TestCategory("Unit")]
[TestClass]
[DoNotParallelize] // counts the download folders in the shared temp folder, as AddUrlTests' own checks do
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddUrlHostileServerTests
{
    private static CopyRequest Add(CopyFixture f, string destination, string url) =>
        f.Request(destination, url) with { IsAdd = true, Location = new SourceLocation("Dockerfile", 3, 1) };

    private static int TemporaryDownloads() => Directory.GetDirectories(Path.GetTempPath(), HttpSourceFetcher.TemporaryPrefix + "*").Length;

    private static ContainerizeException Fails(CopyFixture f, CopyRequest request, string code)
    {
        int before = TemporaryDownloads();
        var e = f.Fails(request);
        Assert.AreEqual(code, e.Code, e.Message);
        Assert.AreEqual(new SourceLocation("Dockerfile", 3, 1), e.Location);
        Assert.AreEqual(before, TemporaryDownloads(), "nothing downloaded stays behind");
        return e;
    }

    [TestMethod]
    [Timeout(60_000)]
    [DataRow("file:///etc/passwd")]
    [DataRow("ftp://127.0.0.1/etc/passwd")]
    [DataRow("gopher://127.0.0.1:70/x")]
    [DataRow("data:text/plain,hello")]
    public void ARedirectToAnotherSchemeIsRefusedNamingTheUrlAndTheTarget(string target)
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Redirect("x", target);
        var e = Fails(f, Add(f, "/f", url), ErrorCodes.RemoteRedirectUnsupported);
        StringAssert.Contains(e.Message, url);
        StringAssert.Contains(e.Message, target);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void ARedirectLoopFailsAfterTenRedirectsInsteadOfStoringTheRedirect()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Redirect("loop", "/loop");
        var e = Fails(f, Add(f, "/dest/f", url), ErrorCodes.RemoteTooManyRedirects);
        StringAssert.Contains(e.Message, url);
        StringAssert.Contains(e.Message, "10 redirects");
        Assert.AreEqual(11, server.Requests.Count, "the first request and ten redirects");
    }

    [TestMethod]
    [Timeout(60_000)]
    public void TenRedirectsOfEveryRelativeFormAreFollowedToTheContent()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string port = new Uri(server.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] locations = ["r1", "/dir/r2", "../r3", $"//127.0.0.1:{port}/r4", server.Url("r5"), "r6?q=1", "/r7#fragment", "r8", "r9", "/files/final.txt"];
        server.Redirect("start", locations[0], status: 301);
        string[] paths = ["r1", "dir/r2", "r3", "r4", "r5", "r6?q=1", "r7", "r8", "r9"];
        int[] statuses = [302, 303, 307, 308, 301, 302, 303, 307, 308];
        for (int i = 0; i < paths.Length; i++) server.Redirect(paths[i], locations[i + 1], statuses[i]);
        server.Answer("files/final.txt", 200, "OK", "the content"u8.ToArray());
        var layer = f.Copy(Add(f, "/f", server.Url("start")));
        Assert.AreEqual("the content", f.Content(layer, "f"));
    }

    [TestMethod]
    [Timeout(60_000)]
    [DataRow(302, "Found")]
    [DataRow(300, "Multiple Choices")]
    [DataRow(304, "Not Modified")]
    [DataRow(206, "Partial Content")]
    [DataRow(401, "Unauthorized")]
    [DataRow(500, "Internal Server Error")]
    [DataRow(503, "Service Unavailable")]
    public void AStatusThatIsNotContentIsAnErrorNamingTheUrlAndTheStatus(int status, string reason)
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Answer("x.bin", status, reason, "not the file"u8.ToArray());
        var e = Fails(f, Add(f, "/f", url), ErrorCodes.RemoteDownloadFailed);
        StringAssert.Contains(e.Message, url);
        StringAssert.Contains(e.Message, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    [Timeout(60_000)]
    public void NoContentIsAnEmptyFileAsBuildKitStoresIt()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Answer("empty", RawHttpServer.Response(204, "No Content", []));
        var layer = f.Copy(Add(f, "/f", url));
        Assert.AreEqual("", f.Content(layer, "f"));
    }

    [TestMethod]
    [Timeout(60_000)]
    public void CredentialsOfTheUrlGoToItsHostAndNeverFollowARedirectToAnotherHost()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        var port = new Uri(server.BaseUrl).Port;
        server.Redirect("private/a", "/private/b");
        server.Redirect("private/b", $"http://localhost:{port}/elsewhere");
        server.Answer("elsewhere", 200, "OK", "public"u8.ToArray());
        string url = server.Url("private/a").Replace("http://", "http://user:s3cret@", StringComparison.Ordinal);

        Assert.AreEqual("public", f.Content(f.Copy(Add(f, "/f", url)), "f"));

        string basic = "Authorization: Basic " + Convert.ToBase64String("user:s3cret"u8.ToArray());
        var requests = server.Requests.ToArray();
        Assert.HasCount(3, requests);
        StringAssert.Contains(requests[0], basic, "the URL's own host gets its credentials");
        StringAssert.Contains(requests[1], basic, "a redirect on the same host keeps them");
        Assert.DoesNotContain("Authorization", requests[2], "another host never gets them");
        Assert.DoesNotContain("s3cret", requests[0], "the password is not sent in the request line");
    }

    [TestMethod]
    [Timeout(60_000)]
    public void APasswordInTheUrlIsMaskedInRedirectErrors()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        server.Redirect("a", "file:///etc/shadow");
        string url = server.Url("a").Replace("http://", "http://user:s3cret@", StringComparison.Ordinal);
        var e = Fails(f, Add(f, "/f", url), ErrorCodes.RemoteRedirectUnsupported);
        Assert.DoesNotContain("s3cret", e.Message);
        StringAssert.Contains(e.Message, "user:xxxxx@");
    }

    [TestMethod]
    [Timeout(60_000)]
    public void ABodyShorterThanItsContentLengthIsNotStoredAndTheDownloadIsTriedAgain()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Answer("short.bin", 200, "OK", new byte[100], "Content-Length: 100000");
        var e = Fails(f, Add(f, "/f", url), ErrorCodes.RemoteDownloadFailed);
        StringAssert.Contains(e.Message, url);
        Assert.HasCount(HttpSourceFetcher.MaxAttempts, server.Requests);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void AConnectionThatBreaksMidBodyOnceGivesTheWholeFileOnTheNextTry()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        byte[] whole = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];
        string url = server.AnswerInTurn("flaky.bin",
            RawHttpServer.Response(200, "OK", whole[..1000], "Content-Length: 5000"),
            RawHttpServer.Response(200, "OK", whole));
        CollectionAssert.AreEqual(whole, f.ContentBytes(f.Copy(Add(f, "/f", url)), "f"));
        Assert.HasCount(2, server.Requests);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void ABodyLongerThanItsContentLengthIsStoredOnlyToThatLength()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        byte[] body = [.. "12345"u8, .. new byte[1 << 20]];
        string url = server.Answer("long.bin", 200, "OK", body, "Content-Length: 5");
        Assert.AreEqual("12345", f.Content(f.Copy(Add(f, "/f", url)), "f"));
    }

    [TestMethod]
    [Timeout(60_000)]
    public void AGzipContentEncodingIsStoredAsTheBytesServedAndNotAskedFor()
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write("a tarball"u8);
        string url = server.Answer("pkg.tar.gz", 200, "OK", packed.ToArray(), "Content-Encoding: gzip", "Content-Type: application/x-tar");
        var request = Add(f, "/d/", url) with { Checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(packed.ToArray())) };

        var layer = f.Copy(request);

        CollectionAssert.AreEqual(packed.ToArray(), f.ContentBytes(layer, "d/pkg.tar.gz"));
        Assert.DoesNotContain("gzip", server.Requests.Single(), "the download does not ask for an encoding");
    }

    [TestMethod]
    [Timeout(60_000)]
    [DataRow("attachment; filename=\"../../../etc/evil\"")]
    [DataRow("attachment; filename=\"/etc/passwd\"")]
    [DataRow("attachment; filename*=UTF-8''..%2F..%2Fevil")]
    public void AHostileContentDispositionNeverNamesTheFile(string disposition)
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Answer("dl/get.bin", 200, "OK", "body"u8.ToArray(), "Content-Disposition: " + disposition);
        CollectionAssert.AreEqual(new[] { "d/", "d/get.bin" }, f.Names(f.Copy(Add(f, "/d/", url))));
    }

    [TestMethod]
    [Timeout(60_000)]
    [DataRow("dl/..%2F..%2Fescape", "d/escape")]
    public void AnEscapedNameInTheUrlStaysInsideTheDestination(string path, string stored)
    {
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Answer(path, 200, "OK", "body"u8.ToArray());
        CollectionAssert.AreEqual(new[] { "d/", stored }, f.Names(f.Copy(Add(f, "/d/", url))));
    }

    [TestMethod]
    [Timeout(60_000)]
    [DataRow("dl/a%00b")]
    [DataRow("dl/a%2F%00")]
    [DataRow("dl/256x")]
    public void ANameThatCannotBeAFileIsAClearError(string path)
    {
        path = path.Replace("256x", new string('x', 256), StringComparison.Ordinal);
        using var f = new CopyFixture();
        using var server = new RawHttpServer();
        string url = server.Answer(path, 200, "OK", "body"u8.ToArray());
        var e = Fails(f, Add(f, "/d/", url), ErrorCodes.InvalidRemoteFileName);
        StringAssert.Contains(e.Message, url);
    }
}
