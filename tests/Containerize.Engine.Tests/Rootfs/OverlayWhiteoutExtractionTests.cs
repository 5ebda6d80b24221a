using System.IO.Compression;
using System.Text;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Layers;
using Containerize.Engine.Oci;
using Containerize.Engine.Rootfs;

namespace Containerize.Engine.Tests.Rootfs;

/// <summary>Layers written entry by entry, for the orders and xattrs other builders produce, unpacked as overlay lower directories.</summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class OverlayWhiteoutExtractionTests
{
    private static Layer Write(RootfsFixture f, params TarEntry[] entries) =>
        LayerBlobWriter.Write(f.Store, MediaTypes.OciLayerGzip, CompressionLevel.Fastest, writer =>
        {
            foreach (var entry in entries) writer.WriteEntry(entry);
        });

    private static TarEntry Dir(string name) => new() { Name = name, Type = TarEntryType.Directory, Mode = 0b111_101_101 };

    private static TarEntry File(string name) => new() { Name = name, Type = TarEntryType.RegularFile, Mode = 0b110_100_100 };

    [TestMethod]
    [DataRow(true, DisplayName = "whiteout before the directory")]
    [DataRow(false, DisplayName = "whiteout after the directory")]
    public void AWhiteoutAndANewDirectoryOfOneNameMakeAnOpaqueDirectory(bool whiteoutFirst)
    {
        using var f = new RootfsFixture();
        TarEntry[] entries = whiteoutFirst
            ? [File(".wh.d"), Dir("d/"), File("d/x")]
            : [Dir("d/"), File("d/x"), File(".wh.d")];
        var layer = Write(f, entries);

        string root = new UnpackedLayerStore(f.Store).GetOrUnpackAsync(layer, CancellationToken.None).GetAwaiter().GetResult();

        Assert.AreEqual(UnixFileKind.Directory, LibC.Statx(Path.Combine(root, "d")).Kind);
        Assert.AreEqual("y", RootfsFixture.Xattr(Path.Combine(root, "d"), "trusted.overlay.opaque"));
        Assert.IsTrue(System.IO.File.Exists(Path.Combine(root, "d", "x")));
    }

    [TestMethod]
    public void OverlayXattrsCarriedByALayerAreEscapedSoTheKernelDoesNotObeyThem()
    {
        using var f = new RootfsFixture();
        var redirect = Dir("d/") with { Xattrs = new Dictionary<string, byte[]> { ["trusted.overlay.redirect"] = Encoding.UTF8.GetBytes("/etc"), ["user.kept"] = [1] } };
        var layer = Write(f, redirect);

        string root = new UnpackedLayerStore(f.Store).GetOrUnpackAsync(layer, CancellationToken.None).GetAwaiter().GetResult();

        var xattrs = LibC.ReadXattrs(Path.Combine(root, "d"));
        CollectionAssert.AreEquivalent(new[] { "trusted.overlay.overlay.redirect", "user.kept" }, xattrs.Keys.ToArray());
    }

    [TestMethod]
    public void AufsMetadataIsIgnoredAndWhiteoutsOfMissingParentsStillHide()
    {
        using var f = new RootfsFixture();
        var layer = Write(f, File(".wh..wh.plnk"), File("var/lib/.wh.stale"));

        string root = new UnpackedLayerStore(f.Store).GetOrUnpackAsync(layer, CancellationToken.None).GetAwaiter().GetResult();

        Assert.IsFalse(System.IO.File.Exists(Path.Combine(root, ".wh..wh.plnk")));
        Assert.IsTrue(LibC.Statx(Path.Combine(root, "var", "lib", "stale")) is { Kind: UnixFileKind.CharacterDevice, RdevMajor: 0, RdevMinor: 0 });
    }
}
