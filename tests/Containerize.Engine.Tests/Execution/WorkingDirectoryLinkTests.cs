using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// A WORKDIR through a symlink of the image whose target is missing: created at the target inside
/// the root, as runc does (never outside it); a link loop is a clear error.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class WorkingDirectoryLinkTests
{
    [TestMethod]
    [DataRow(false, DisplayName = "native helper")]
    [DataRow(true, DisplayName = "managed helper")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ADanglingAbsoluteLinkIsFollowedInsideTheRoot(bool managed)
    {
        using var f = await ContainerFixture.CreateAsync();
        string outside = $"/tmp/ctz-outside-{Guid.NewGuid():N}";
        f.AddLayer(d => File.CreateSymbolicLink(Path.Combine(d, "w"), outside + "/target"));
        var runner = new ContainerRunner(helper: managed ? HelperLocation.FindManaged() : HelperLocation.Find());
        var lines = new List<string>();

        int code = await runner.RunAsync(f.Spec("pwd") with { WorkingDirectory = "/w", User = "app" }, l => { lock (lines) lines.Add(l); }, CancellationToken.None);

        Assert.AreEqual(0, code, string.Join('\n', lines));
        CollectionAssert.AreEqual(new[] { outside + "/target" }, lines);
        Assert.IsFalse(Directory.Exists(outside), "created on the host");
        string made = Path.Combine(f.Upper, outside.TrimStart('/'), "target");
        Assert.IsTrue(Directory.Exists(made), string.Join(", ", f.UpperEntries()));
        Assert.AreEqual(1654, LibC.Statx(made).Uid, "the last folder is the user's, as Docker makes it");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ARelativeDanglingLinkAndDotDotStayInsideTheRoot()
    {
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            Directory.CreateDirectory(Path.Combine(d, "srv"));
            File.CreateSymbolicLink(Path.Combine(d, "srv", "app"), "../../../../missing/dir");
        });
        var (code, output) = await f.RunAsync(f.Spec("pwd") with { WorkingDirectory = "/srv/app/sub" });
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("/missing/dir/sub", output);
        Assert.IsTrue(Directory.Exists(Path.Combine(f.Upper, "missing", "dir", "sub")), string.Join(", ", f.UpperEntries()));
    }

    [TestMethod]
    [DataRow("/loop", DisplayName = "a link to itself")]
    [DataRow("/a/deeper", DisplayName = "two links to each other")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ALinkLoopIsAClearError(string workdir)
    {
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            File.CreateSymbolicLink(Path.Combine(d, "loop"), "/loop");
            File.CreateSymbolicLink(Path.Combine(d, "a"), "/b/x");
            File.CreateSymbolicLink(Path.Combine(d, "b"), "a");
        });
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => f.RunAsync(f.Spec("pwd") with { WorkingDirectory = workdir }));
        Assert.AreEqual(ErrorCodes.ContainerSetupFailed, e.Code);
        StringAssert.Contains(e.Message, $"cannot use the working directory {workdir}: ");
        StringAssert.Contains(e.Message, "loop");
    }
}
