using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

[TestCategory("Unit")]
[TestClass]
public class ContextWalkerTests
{
    [TestMethod]
    public void SymlinksAreListedNotFollowedAndEntriesCarryMetadata()
    {
        using var dir = new TempDirectory("ctz-walk");
        Directory.CreateDirectory(dir.Combine("real"));
        File.WriteAllText(dir.Combine("real", "f.txt"), "hello");
        File.SetUnixFileMode(dir.Combine("real", "f.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(dir.Combine("link"), "real");

        var entries = ContextWalker.Walk(dir.Path, IgnorePatterns.Empty, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "link", "real", "real/f.txt" }, entries.Select(e => e.RelativePath).ToArray());
        var link = entries[0];
        Assert.AreEqual(ContextEntryKind.Symlink, link.Kind);
        Assert.AreEqual("real", link.LinkTarget);
        var file = entries[2];
        Assert.AreEqual(ContextEntryKind.File, file.Kind);
        Assert.AreEqual(5, file.Size);
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, file.Mode);
        Assert.AreEqual(dir.Combine("real", "f.txt"), file.FullPath);
        Assert.IsLessThan(TimeSpan.FromMinutes(5), (DateTime.UtcNow - file.LastWriteUtc).Duration());
    }

    [TestMethod]
    public void NamesAreOrderedByteWiseDepthFirst()
    {
        using var dir = new TempDirectory("ctz-walk");
        CorpusTree.Create(dir.Path, ["dir foo", "file foo/x", "file foo-bar", "file Z", "file a"]);

        var entries = ContextWalker.Walk(dir.Path, IgnorePatterns.Empty, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "Z", "a", "foo", "foo/x", "foo-bar" }, entries.Select(e => e.RelativePath).ToArray());
    }

    [TestMethod]
    public void TheDockerfileAndIgnoreFileAreLeftOutWhenIgnoredLikeAnyFile()
    {
        using var dir = new TempDirectory("ctz-walk");
        File.WriteAllText(dir.Combine("Dockerfile"), "FROM scratch\n");
        File.WriteAllText(dir.Combine(".dockerignore"), "Dockerfile\n.dockerignore\n");
        File.WriteAllText(dir.Combine("app"), "");

        var patterns = DockerignoreFile.Read(DockerignoreFile.Locate(dir.Path, "Dockerfile")!);

        CollectionAssert.AreEqual(new[] { "app" }, ContextWalker.Walk(dir.Path, patterns, CancellationToken.None).Select(e => e.RelativePath).ToArray());
    }

    [TestMethod]
    public void AMissingContextIsAnError()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ContextWalker.Walk("/nonexistent/ctz-context", IgnorePatterns.Empty, CancellationToken.None));
        Assert.AreEqual(ErrorCodes.ContextDirectoryMissing, e.Code);
    }

    [TestMethod]
    public void CancellationStopsTheWalk()
    {
        using var dir = new TempDirectory("ctz-walk");
        File.WriteAllText(dir.Combine("a"), "");
        Assert.ThrowsExactly<OperationCanceledException>(() => ContextWalker.Walk(dir.Path, IgnorePatterns.Empty, new CancellationToken(canceled: true)));
    }
}
