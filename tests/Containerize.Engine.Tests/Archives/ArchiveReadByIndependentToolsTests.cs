using System.Formats.Tar;
using System.Text.Json;
using Containerize.Engine.Archives;
using Containerize.Engine.Oci;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Archives;

/// <summary>The archives as skopeo, umoci and podman read them (a missing tool fails the test: CI installs them).</summary>
[TestCategory("Registry")]
[TestClass]
public class ArchiveReadByIndependentToolsTests
{
    [TestMethod]
    [DataRow("oci")]
    [DataRow("docker")]
    public async Task SkopeoInspectSeesTheConfig(string kind)
    {
        Require("skopeo");
        using var fixture = new ArchiveFixture();
        string path = await WriteAsync(fixture, kind);
        string transport = kind == "oci" ? $"oci-archive:{path}:1.0" : $"docker-archive:{path}:localhost:5000/sample/app:1.0";

        using var inspected = JsonDocument.Parse(ExternalTool.RunChecked("skopeo", "inspect", transport));
        var root = inspected.RootElement;
        Assert.AreEqual("amd64", root.GetProperty("Architecture").GetString());
        Assert.AreEqual("yes", root.GetProperty("Labels").GetProperty("org.example.sample").GetString());
        CollectionAssert.Contains(root.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList(), "GREETING=hello");
        var layers = root.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()).ToList();
        if (kind == "oci")
        {
            // The OCI layout serves our manifest as is.
            Assert.AreEqual(fixture.Image.ManifestDigest.ToString(), root.GetProperty("Digest").GetString());
            CollectionAssert.AreEqual(fixture.Image.Layers.Select(l => l.Descriptor.Digest.ToString()).ToList(), layers);
        }
        else
        {
            // docker-archive serves uncompressed layers, named by their diff IDs.
            CollectionAssert.AreEqual(fixture.Image.Layers.Select(l => l.DiffId.ToString()).ToList(), layers);
        }
    }

    [TestMethod]
    [DataRow("oci")]
    [DataRow("docker")]
    public async Task SkopeoCopyToADirectoryGivesBackOurBlobs(string kind)
    {
        Require("skopeo");
        using var fixture = new ArchiveFixture();
        string path = await WriteAsync(fixture, kind);
        string dir = fixture.Temp.Combine("copied");
        string source = kind == "oci" ? $"oci-archive:{path}:1.0" : $"docker-archive:{path}";
        ExternalTool.RunChecked("skopeo", "copy", source, $"dir:{dir}");

        string Blob(Digest d) => Path.Combine(dir, d.Hex);
        CollectionAssert.AreEqual(fixture.Image.ConfigBytes, File.ReadAllBytes(Blob(fixture.Image.Manifest.Config.Digest)));
        foreach (var layer in fixture.Image.Layers)
        {
            if (kind == "oci")
            {
                CollectionAssert.AreEqual(fixture.Store.ReadAllBytes(layer.Descriptor.Digest), File.ReadAllBytes(Blob(layer.Descriptor.Digest)));
            }
            else
            {
                using var diff = File.OpenRead(Blob(layer.DiffId));
                Assert.AreEqual(layer.DiffId, Digest.Sha256(diff));
            }
        }
        if (kind == "oci") CollectionAssert.AreEqual(fixture.Image.ManifestBytes, File.ReadAllBytes(Path.Combine(dir, "manifest.json")));
    }

    [TestMethod]
    public async Task UmociUnpacksTheFilesOfEveryLayer()
    {
        Require("umoci");
        using var fixture = new ArchiveFixture();
        string path = await WriteAsync(fixture, "oci");
        string layout = fixture.Temp.Combine("layout");
        Directory.CreateDirectory(layout);
        await TarFile.ExtractToDirectoryAsync(path, layout, overwriteFiles: false);
        string bundle = fixture.Temp.Combine("bundle");

        ExternalTool.RunChecked("umoci", "unpack", "--rootless", "--image", $"{layout}:1.0", bundle);

        Assert.AreEqual("hello from layer one\n", File.ReadAllText(Path.Combine(bundle, "rootfs", "app", "hello.txt")));
        Assert.AreEqual("motd\n", File.ReadAllText(Path.Combine(bundle, "rootfs", "etc", "motd")));
        Assert.AreEqual("second layer\n", File.ReadAllText(Path.Combine(bundle, "rootfs", "app", "second.txt")));
    }

    [TestMethod]
    [DataRow("oci")]
    [DataRow("docker")]
    public async Task PodmanLoadsTheArchiveUnderItsName(string kind)
    {
        Require("podman");
        using var fixture = new ArchiveFixture();
        // podman load refuses an OCI archive whose index has more than one entry, so one name here.
        string name = $"localhost:5000/ctz-test/{kind}-{Guid.NewGuid():N}"[..48] + ":1.0";
        string path = fixture.PathFor($"{kind}.tar");
        var names = new[] { ImageReference.Parse(name) };
        if (kind == "oci") await OciArchiveWriter.WriteAsync(fixture.Image, names, fixture.Store, path, CancellationToken.None);
        else await DockerArchiveWriter.WriteAsync(fixture.Image, names, fixture.Store, path, CancellationToken.None);
        try
        {
            string loaded = ExternalTool.RunChecked("podman", "load", "-i", path);
            StringAssert.Contains(loaded, name);
            string id = ExternalTool.RunChecked("podman", "image", "inspect", "--format", "{{.Id}}", name).Trim();
            Assert.AreEqual(fixture.Image.Manifest.Config.Digest.Hex, id);
        }
        finally
        {
            ExternalTool.Run("podman", "rmi", "--force", name);
        }
    }

    private static async Task<string> WriteAsync(ArchiveFixture fixture, string kind)
    {
        string path = fixture.PathFor($"{kind}.tar");
        if (kind == "oci") await OciArchiveWriter.WriteAsync(fixture.Image, fixture.Names, fixture.Store, path, CancellationToken.None);
        else await DockerArchiveWriter.WriteAsync(fixture.Image, fixture.Names, fixture.Store, path, CancellationToken.None);
        return path;
    }

    private static void Require(string tool)
    {
        if (ExternalTool.Find(tool) is null) Assert.Fail($"install {tool} (scripts/install-prerequisites.sh)");
    }
}
