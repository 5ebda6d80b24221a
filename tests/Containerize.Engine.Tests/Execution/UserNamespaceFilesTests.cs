using Containerize.Engine.Execution;
using Containerize.Engine.IO.Native;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The helper's tree commands (chown, own, remove) through <see cref="UserNamespaceFiles"/>, here in a
/// one-id namespace of root (unshare --map-root-user): the records protocol, and that nothing outside
/// the directory is touched through "..", symlinked parents or a symlink as the last component.
/// Subordinate ranges are covered by <see cref="RootlessDockerfileBuildTests"/>.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class UserNamespaceFilesTests
{
    private static UserNamespaceFiles Files() => new(new UserNamespaceMapping(UserNamespaceKind.SingleId, 0, 0));

    [TestMethod]
    public async Task ChownRecordsStayInsideTheDirectory()
    {
        if (!LibC.IsRoot) Assert.Fail("needs root: run the tests as root, as .ci/run does");
        using var temp = new TempDirectory("ctz-nsfiles");
        string tree = Directory.CreateDirectory(temp.Combine("tree")).FullName;
        string outside = Directory.CreateDirectory(temp.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "victim"), "v");
        LibC.Chmod(Path.Combine(outside, "victim"), 0b110_100_100);
        File.WriteAllText(Path.Combine(tree, "inside"), "i");
        File.CreateSymbolicLink(Path.Combine(tree, "link"), outside);
        File.CreateSymbolicLink(Path.Combine(tree, "abs"), Path.Combine(outside, "victim"));

        await Files().ApplyOwnersAsync(tree,
        [
            new("../outside/victim", 0, 0, 0b100_000_000),
            new("link/victim", 0, 0, 0b100_000_000),
            new("abs", 0, 0, 0b100_000_000),
            new("missing/x", 0, 0, 0b100_000_000),
            new("inside", 0, 0, 0b100_110_000),
        ], CancellationToken.None);

        Assert.AreEqual(0b100_110_000, LibC.Statx(Path.Combine(tree, "inside")).Permissions, "setuid and the mode are applied");
        Assert.AreEqual(0b110_100_100, LibC.Statx(Path.Combine(outside, "victim")).Permissions, "nothing outside the tree changed");
    }

    [TestMethod]
    public async Task OwnRecordsWhatItChangesSoTheUserCanReadAndRemoveTheTree()
    {
        if (!LibC.IsRoot) Assert.Fail("needs root: run the tests as root, as .ci/run does");
        using var temp = new TempDirectory("ctz-nsfiles");
        string tree = Directory.CreateDirectory(temp.Combine("tree")).FullName;
        string outside = Directory.CreateDirectory(temp.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep"), "k");
        Directory.CreateDirectory(Path.Combine(tree, "closed"));
        File.WriteAllText(Path.Combine(tree, "closed", "secret"), "s");
        File.WriteAllText(Path.Combine(tree, "readable"), "r");
        File.CreateSymbolicLink(Path.Combine(tree, "link"), outside);
        LibC.Chmod(Path.Combine(tree, "closed", "secret"), 0);
        LibC.Chmod(Path.Combine(tree, "closed"), 0b001_000_000);
        var files = Files();

        var owners = await files.TakeOwnershipAsync(tree, evenIfReadable: true, CancellationToken.None); // root could read it anyway

        CollectionAssert.AreEquivalent(new[] { "closed", "closed/secret" }, owners.Keys.ToArray());
        Assert.AreEqual(0b001_000_000, owners["closed"].Mode);
        Assert.AreEqual(0, owners["closed/secret"].Mode);
        Assert.AreEqual(0b111_000_000, LibC.Statx(Path.Combine(tree, "closed")).Permissions);
        Assert.AreEqual(0b100_000_000, LibC.Statx(Path.Combine(tree, "closed", "secret")).Permissions);

        await files.RemoveTreeAsync(tree);
        Assert.IsFalse(Directory.Exists(tree));
        Assert.AreEqual("k", File.ReadAllText(Path.Combine(outside, "keep")), "remove does not follow symlinks");
    }

    [TestMethod]
    public async Task AFailureInTheNamespaceIsCtz7007()
    {
        if (!LibC.IsRoot) Assert.Fail("needs root: run the tests as root, as .ci/run does");
        var e = await Assert.ThrowsExactlyAsync<Diagnostics.ContainerizeException>(() => Files().TakeOwnershipAsync("/nonexistent-ctz-tree", evenIfReadable: true, CancellationToken.None));
        Assert.AreEqual(Diagnostics.ErrorCodes.LayerUnpackInNamespaceFailed, e.Code);
        StringAssert.Contains(e.Message, "containerize-helper own /nonexistent-ctz-tree failed");
    }
}
