using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Store;

[TestCategory("Unit")]
[TestClass]
public class BlobStoreTests
{
    [TestMethod]
    public void ABlobIsStoredUnderItsDigestAndReadBack()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var digest = store.Put("hello"u8);
        Assert.AreEqual(Digest.Sha256("hello"u8), digest);
        Assert.AreEqual(Path.Combine(dir.Path, "blobs", "sha256", digest.Hex), store.PathFor(digest));
        CollectionAssert.AreEqual("hello"u8.ToArray(), store.ReadAllBytes(digest));
    }

    [TestMethod]
    public void AnUncommittedWriteLeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        using (var writer = store.CreateWriter())
        {
            writer.Write("partial"u8);
        }
        Assert.IsFalse(store.Contains(Digest.Sha256("partial"u8)));
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(dir.Path, "tmp")).Length, "the temporary file is removed");
    }

    [TestMethod]
    public async Task ContentThatDoesNotMatchItsExpectedDigestIsRefusedAndDiscarded()
    {
        using var dir = new TempDirectory();
        var store = new BlobStore(dir.Path);
        var claimed = Digest.Sha256("what the registry promised"u8);
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            store.PutAsync(new MemoryStream("what arrived"u8.ToArray()), claimed, CancellationToken.None));
        Assert.AreEqual(ErrorCodes.BlobDigestMismatch, e.Code);
        Assert.IsFalse(store.Contains(claimed));
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(dir.Path, "tmp")).Length);
    }

    [TestMethod]
    public async Task TwoStoresOnOneFolderWritingTheSameBlobsAtOnceBothSucceed()
    {
        using var dir = new TempDirectory();
        byte[][] contents = Enumerable.Range(0, 50).Select(i => Encoding.UTF8.GetBytes(new string('x', 100_000) + i)).ToArray();
        async Task WriteAll(BlobStore store)
        {
            foreach (byte[] content in contents)
            {
                await store.PutAsync(new MemoryStream(content), Digest.Sha256(content), CancellationToken.None);
            }
        }
        // Two builds (MSBuild -m) sharing the default store.
        await Task.WhenAll(Task.Run(() => WriteAll(new BlobStore(dir.Path))), Task.Run(() => WriteAll(new BlobStore(dir.Path))));
        var reader = new BlobStore(dir.Path);
        foreach (byte[] content in contents) CollectionAssert.AreEqual(content, reader.ReadAllBytes(Digest.Sha256(content)));
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(dir.Path, "tmp")).Length);
    }

    [TestMethod]
    public void TheDefaultFolderFollowsTheEnvironment()
    {
        Assert.AreEqual("/srv/store", BlobStore.DefaultRoot(name => name == BlobStore.RootEnvironmentVariable ? "/srv/store" : "/xdg"));
        Assert.AreEqual("/xdg/containerize", BlobStore.DefaultRoot(name => name == "XDG_DATA_HOME" ? "/xdg" : null));
        StringAssert.EndsWith(BlobStore.DefaultRoot(_ => null), "containerize");
    }

    [TestMethod]
    public void AStoreThatCannotBeCreatedSaysWhatToSet()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("not-a-folder");
        File.WriteAllText(file, "");
        var e = Assert.ThrowsExactly<ContainerizeException>(() => new BlobStore(Path.Combine(file, "store")));
        Assert.AreEqual(ErrorCodes.StoreUnavailable, e.Code);
        StringAssert.Contains(e.Message, "ContainerStorePath");
    }
}
