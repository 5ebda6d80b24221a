namespace Containerize.Engine.Tests.Copy;

/// <summary>Same inputs, same layer digest: nothing of the host (inode order, atime, temp paths) leaks in.</summary>
[TestCategory("Unit")]
[TestClass]
public class CopyDeterminismTests
{
    private static Engine.Oci.Layer CopyTree()
    {
        using var f = new CopyFixture();
        var time = new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (string name in new[] { "dir/z.txt", "dir/a/b.txt", "dir/é.txt", "single.txt" })
        {
            File.SetLastWriteTimeUtc(f.Write(name, name), time);
        }
        foreach (string dir in new[] { "dir/a", "dir" }) Directory.SetLastWriteTimeUtc(f.PathIn(dir), time);
        var layer = f.Copy(f.Request("/app/", "dir", "single.txt") with { Chown = "1:1" });
        Assert.IsTrue(f.Store.Contains(layer.Descriptor.Digest));
        return layer;
    }

    [TestMethod]
    public void AFileAndADirectoryGiveTheSameDigestEveryTime()
    {
        var first = CopyTree();
        var second = CopyTree();
        Assert.AreEqual(first.Descriptor.Digest, second.Descriptor.Digest);
        Assert.AreEqual(first.DiffId, second.DiffId);
    }
}
