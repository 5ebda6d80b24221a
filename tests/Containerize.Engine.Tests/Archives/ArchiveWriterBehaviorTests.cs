using System.Formats.Tar;
using Containerize.Engine.Archives;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Archives;

/// <summary>What both archive writers promise regardless of who reads the archive.</summary>
[TestCategory("Unit")]
[TestClass]
public class ArchiveWriterBehaviorTests
{
    public delegate Task ArchiveWriter(BuiltImage image, IReadOnlyList<ImageReference> names, BlobStore store, string path, CancellationToken ct);

    public static IEnumerable<TestDataRow<string>> Writers =>
        [new("oci") { DisplayName = "OciArchiveWriter" }, new("docker") { DisplayName = "DockerArchiveWriter" }];

    private static ArchiveWriter WriterNamed(string kind) => kind == "oci" ? OciArchiveWriter.WriteAsync : DockerArchiveWriter.WriteAsync;

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public async Task WritingTwiceGivesByteIdenticalArchives(string kind)
    {
        using var fixture = new ArchiveFixture();
        await WriterNamed(kind)(fixture.Image, fixture.Names, fixture.Store, fixture.PathFor("a.tar"), CancellationToken.None);
        await WriterNamed(kind)(fixture.Image, fixture.Names.Reverse().ToList(), fixture.Store, fixture.PathFor("b.tar"), CancellationToken.None);
        CollectionAssert.AreEqual(File.ReadAllBytes(fixture.PathFor("a.tar")), File.ReadAllBytes(fixture.PathFor("b.tar")));
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public async Task EntriesAreSortedUstarOwnedByRootWithAFixedTime(string kind)
    {
        using var fixture = new ArchiveFixture();
        string path = fixture.PathFor("nested/deeper/image.tar");
        await WriterNamed(kind)(fixture.Image, fixture.Names, fixture.Store, path, CancellationToken.None);

        var entries = new List<TarEntry>();
        await using (var reader = new TarReader(File.OpenRead(path)))
        {
            while (await reader.GetNextEntryAsync() is { } entry) entries.Add(entry);
        }
        var files = entries.Where(e => e.EntryType == TarEntryType.RegularFile).Select(e => e.Name).ToList();
        CollectionAssert.AreEqual(files.Order(StringComparer.Ordinal).ToList(), files);
        foreach (var entry in entries)
        {
            Assert.AreEqual(TarEntryFormat.Ustar, entry.Format, entry.Name);
            Assert.AreEqual(0, entry.Uid, entry.Name);
            Assert.AreEqual(0, entry.Gid, entry.Name);
            Assert.AreEqual(DateTimeOffset.UnixEpoch, entry.ModificationTime, entry.Name);
        }
        CollectionAssert.IsSubsetOf(new[] { "oci-layout", "index.json", $"blobs/sha256/{fixture.Image.ManifestDigest.Hex}" }, files);
        if (kind == "docker") CollectionAssert.Contains(files, "manifest.json");
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public async Task AMissingBlobFailsWithACodeAndLeavesTheExistingArchiveAlone(string kind)
    {
        using var fixture = new ArchiveFixture();
        string path = fixture.PathFor("image.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "previous archive");
        File.Delete(fixture.Store.PathFor(fixture.Image.Layers[1].Descriptor.Digest));

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            WriterNamed(kind)(fixture.Image, fixture.Names, fixture.Store, path, CancellationToken.None));

        Assert.AreEqual(ErrorCodes.ArchiveWriteFailed, e.Code);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, fixture.Image.Layers[1].Descriptor.Digest.ToString());
        Assert.AreEqual("previous archive", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [TestMethod]
    [DynamicData(nameof(Writers))]
    public async Task AFailureMidWriteLeavesNoTemporaryFileAndTheExistingArchiveAlone(string kind)
    {
        using var fixture = new ArchiveFixture();
        string path = fixture.PathFor("image.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "previous archive");
        // The last blob written (sorted by digest) is corrupted, so earlier entries are already in the temp file.
        var last = fixture.Image.Layers.Select(l => l.Descriptor.Digest).Append(fixture.Image.Manifest.Config.Digest).Max(d => d.Hex)!;
        File.AppendAllText(Path.Combine(fixture.Store.Root, "blobs", "sha256", last), "garbage");

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() =>
            WriterNamed(kind)(fixture.Image, fixture.Names, fixture.Store, path, CancellationToken.None));

        Assert.AreEqual(ErrorCodes.ArchiveWriteFailed, e.Code);
        Assert.AreEqual("previous archive", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [TestMethod]
    public async Task IndexHasOneEntryPerNameWithTagAndFullNameAnnotations()
    {
        using var fixture = new ArchiveFixture();
        string path = fixture.PathFor("image.tar");
        await OciArchiveWriter.WriteAsync(fixture.Image, fixture.Names, fixture.Store, path, CancellationToken.None);

        byte[] indexBytes = ReadEntry(path, "index.json");
        OciDocumentValidator.EnsureValid(indexBytes, MediaTypes.OciIndex, "index.json");
        var index = OciJson.Deserialize<ImageIndex>(indexBytes, "index.json");
        Assert.HasCount(2, index.Manifests);
        var byName = index.Manifests.ToDictionary(m => m.Annotations!["io.containerd.image.name"]);
        Assert.AreEqual("1.0", byName["localhost:5000/sample/app:1.0"].Annotations!["org.opencontainers.image.ref.name"]);
        Assert.AreEqual("latest", byName["docker.io/library/sample:latest"].Annotations!["org.opencontainers.image.ref.name"]);
        Assert.IsTrue(index.Manifests.All(m => m.Digest == fixture.Image.ManifestDigest && m.Size == fixture.Image.ManifestBytes.Length));
    }

    internal static byte[] ReadEntry(string archive, string name)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name != name) continue;
            using var buffer = new MemoryStream();
            entry.DataStream!.CopyTo(buffer);
            return buffer.ToArray();
        }
        throw new AssertFailedException($"{name} is not in {archive}");
    }
}
