using Containerize.Engine.Diagnostics;
using Containerize.TestSupport.Registry;

namespace Containerize.Engine.Tests.Copy;

/// <summary>ADD &lt;url&gt; from a server that goes silent, before or after its headers: a clear error after the idle timeout, not a hang.</summary>
[TestCategory("Registry")]
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddUrlStallTests
{
    [TestMethod]
    [Timeout(60_000)] // not cooperative: the fetch under test is synchronous, and only an abort ends a hang
    public void ADownloadThatStallsFailsNamingTheUrlAndTheSetting()
    {
        using var f = new CopyFixture();
        using var server = new ScriptedHttpServer(async (_, stream, ct) =>
        {
            await ScriptedHttpServer.WriteHeadAsync(stream, 200, "application/octet-stream", 1000, ct);
            await stream.WriteAsync("first bytes"u8.ToArray(), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        string url = $"http://{server.Host}/stalled/file.bin";

        var e = f.Fails(f.Request("/file.bin", url) with { IsAdd = true, NetworkIdleTimeout = TimeSpan.FromSeconds(1) });

        Assert.AreEqual(ErrorCodes.RemoteDownloadFailed, e.Code, e.Message);
        StringAssert.Contains(e.Message, url);
        StringAssert.Contains(e.Message, "the server sent no data for 1 s");
        StringAssert.Contains(e.Message, "ContainerNetworkIdleTimeout");
    }

    [TestMethod]
    [Timeout(60_000)] // not cooperative: the fetch under test is synchronous, and only an abort ends a hang
    public void AServerThatNeverAnswersFailsNamingTheUrlAndTheSetting()
    {
        using var f = new CopyFixture();
        using var server = new ScriptedHttpServer(async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));
        string url = $"http://{server.Host}/silent/file.bin";

        var e = f.Fails(f.Request("/file.bin", url) with { IsAdd = true, NetworkIdleTimeout = TimeSpan.FromSeconds(1) });

        Assert.AreEqual(ErrorCodes.RemoteDownloadFailed, e.Code, e.Message);
        StringAssert.Contains(e.Message, url);
        StringAssert.Contains(e.Message, "the server sent no data for 1 s");
    }
}
