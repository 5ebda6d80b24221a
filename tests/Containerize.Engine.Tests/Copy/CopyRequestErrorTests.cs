using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Copy;

/// <summary>Malformed requests and cancellation end in clear errors and leave nothing behind.</summary>
[TestCategory("Unit")]
[TestClass]
public class CopyRequestErrorTests
{
    [TestMethod]
    public void AMalformedExcludePatternIsPositionedAtTheInstruction()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        var location = new SourceLocation("Dockerfile", 4, 1);
        var e = f.Fails(f.Request("/app/", "a.txt") with { Excludes = ["[a-"], Location = location });
        Assert.AreEqual(ErrorCodes.InvalidIgnorePattern, e.Code);
        StringAssert.StartsWith(e.Message, "--exclude:");
        Assert.AreEqual(location, e.Location);
    }

    [TestMethod]
    public void AMissingSourceRootIsAnError()
    {
        using var f = new CopyFixture();
        var e = f.Fails(f.Request("/app/", "a.txt") with { SourceRoot = f.TempPath("no-such-stage") });
        Assert.AreEqual(ErrorCodes.CopySourceNotFound, e.Code);
        StringAssert.Contains(e.Message, "does not exist");
    }

    [TestMethod]
    public void NoSourcesAtAllIsAnError()
    {
        using var f = new CopyFixture();
        Assert.AreEqual(ErrorCodes.CopySourceNotFound, f.Fails(f.Request("/app/")).Code);
    }

    [TestMethod]
    public void ACancelledCopyStopsWithoutWritingABlob()
    {
        using var f = new CopyFixture();
        f.Write("a.txt");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsExactly<TaskCanceledException>(() =>
            FileCopier.CopyAsync(f.Request("/app/", "a.txt"), f.Image, f.Store, cancelled.Token).GetAwaiter().GetResult());
        string blobs = Path.Combine(f.Store.Root, "blobs");
        Assert.IsFalse(Directory.Exists(blobs) && Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Any());
    }
}
